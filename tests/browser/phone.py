"""What the phone checks of the browser tests share: the viewport, and the script that lists the controls too
small to tap (narrow and under 32 px in their smaller direction; text links inside prose are left out)."""

PHONE = {"width": 390, "height": 844}
SMALL = """() => [...document.querySelectorAll('a, button, label, summary')]
  .filter((e) => e.offsetParent && !e.closest('p, li.msg-info, .muted, .help, .p-help'))
  .map((e) => { const r = e.getBoundingClientRect(); return [e.textContent.trim().slice(0, 12), Math.round(r.width), Math.round(r.height)]; })
  .filter(([, w, h]) => h < 32 && w < 120)"""
