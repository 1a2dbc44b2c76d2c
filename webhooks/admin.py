from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.selectors import shared_with
from factcheck.errors import DomainError
from webhooks import services
from webhooks.models import WebhookDelivery, WebhookEndpoint


class DeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = ["event", "status", "attempts", "response_status", "response_ms", "error", "last_attempt_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Your webhook endpoints and your organisations' (create them through the API, which shows the
    secret once) and the delivery log."""

    list_display = ["url", "owned_by", "event_types", "is_active", "disabled_reason", "created_at"]
    readonly_fields = ["url", "owner", "organisation", "created_by", "event_types", "is_active",
                       "disabled_reason", "created_at"]
    fields = readonly_fields
    inlines = [DeliveryInline]

    def get_queryset(self, request):
        return shared_with(request.user, super().get_queryset(request)).select_related(
            "owner", "organisation")

    @admin.display(description=_("belongs to"))
    def owned_by(self, endpoint: WebhookEndpoint) -> str:
        return endpoint.owner_label

    def has_add_permission(self, request):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "endpoint", "status", "attempts", "response_status", "response_ms",
                    "last_attempt_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["resend"]

    def get_queryset(self, request):
        endpoints = shared_with(request.user, WebhookEndpoint.objects.all())
        return super().get_queryset(request).filter(endpoint__in=endpoints).select_related(
            "event", "endpoint")

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Re-send selected deliveries"))
    def resend(self, request, queryset):
        queued = 0
        for delivery in queryset:
            try:
                services.delivery_resend(actor=request.user, endpoint_id=delivery.endpoint_id,
                                         delivery_id=delivery.pk)
                queued += 1
            except DomainError as error:
                messages.error(request, f"{delivery}: {error.message}")
        messages.success(request, _("%(count)d deliveries queued again.") % {"count": queued})
