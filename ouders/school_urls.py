"""Staff pages about the portal (Dutch): inviting ouders and pupils, answering correctieverzoeken."""

urlpatterns = []
