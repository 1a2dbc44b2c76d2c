'use strict';
// The claim page's evidence rows: the quote autocomplete offers only the quotes of the source
// chosen in the same row (all quotes while no source is chosen), and choosing another source
// clears a quote picked for the previous one. Django's autocomplete sends only term, page and the
// field's identity, so this file — loaded right after admin/js/autocomplete.js, before the page
// is ready — wraps its initializer to send the row's source id as well; QuoteAdmin's
// get_search_results narrows on it. The services still refuse a quote of another source.
{
    const $ = django.jQuery;
    const djangoAdminSelect2 = $.fn.djangoAdminSelect2;

    // "id_evidence-3-quote" → the <select> "id_evidence-3-source" of the same row.
    function rowSource(element) {
        if (element.dataset.modelName !== 'evidence' || element.dataset.fieldName !== 'quote') {
            return null;
        }
        return document.getElementById(element.id.replace(/quote$/, 'source'));
    }

    $.fn.djangoAdminSelect2 = function() {
        $.each(this, function(i, element) {
            const source = rowSource(element);
            if (!source) {
                djangoAdminSelect2.call($(element));
                return;
            }
            $(element).select2({
                ajax: {
                    data: (params) => ({
                        term: params.term,
                        page: params.page,
                        app_label: element.dataset.appLabel,
                        model_name: element.dataset.modelName,
                        field_name: element.dataset.fieldName,
                        source: source.value
                    })
                }
            });
            // Django's admin fires 'change' on every related select when the page loads (to set
            // its edit/view links): only a source that really changed may clear the quote.
            let chosenSource = source.value;
            $(source).on('change', () => {
                if (source.value !== chosenSource && $(element).val()) {
                    $(element).val(null).trigger('change');
                }
                chosenSource = source.value;
            });
        });
        return this;
    };
}
