# Nothing a user writes is registered here: entries, tags and everything else in the
# journal stay out of the Django admin, so no operator can browse them.
