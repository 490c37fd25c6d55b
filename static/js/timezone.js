// Fill empty time-zone fields (sign-up) with this device's zone, so "today" is the user's
// today from the first entry on. Without JavaScript the server falls back to UTC.
document.querySelectorAll('input[name="time_zone"][type="hidden"]').forEach((input) => {
  if (!input.value) {
    try {
      input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch {
      // An old browser: leave it empty.
    }
  }
});
