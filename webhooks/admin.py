from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

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
    """Your webhook endpoints (create them through the API, which shows the secret once) and the
    delivery log."""

    list_display = ["url", "event_types", "is_active", "disabled_reason", "created_at"]
    readonly_fields = ["url", "event_types", "is_active", "disabled_reason", "created_at"]
    fields = readonly_fields
    inlines = [DeliveryInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(owner=request.user)

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
        return super().get_queryset(request).filter(endpoint__owner=request.user).select_related(
            "event", "endpoint")

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Re-send selected deliveries"))
    def resend(self, request, queryset):
        for delivery in queryset:
            services.delivery_resend(actor=request.user, endpoint_id=delivery.endpoint_id,
                                     delivery_id=delivery.pk)
        messages.success(request, f"{queryset.count()} deliveries queued again.")
