from .demo_banner import demo_banner_shown


def demo_banner(request):
    # The function itself, not its answer: templates call it only when they show the banner
    # (base.html does), so a page rendered without it costs nothing.
    return {"show_demo_banner": demo_banner_shown}
