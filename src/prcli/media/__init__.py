"""Photos, documents and press kits: attachments as records, renditions, metadata stripping.

Modules: `files` (kinds, media types, where an attachment lives), `images` (Pillow: sniffing, limits,
GPS), `store` (attach and detach), `renditions` (web and thumbnail sizes, cached in .prcli/),
`library` (what exporters ask about a release's attachments), `kit` (the press-kit ZIP), `calendar`
(iCalendar for media advisories). Pillow and icalendar are imported only inside the functions that
need them.
"""
