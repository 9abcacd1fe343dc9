"""The review console's services (issue 16): browser sessions from a token (sessions.py), the previews of a
submission's files cached by blob digest (previews.py), the pages' data (views.py), bar charts as SVG
(charts.py), and the Jinja2 templates and CSS it is drawn with (templates/, static/).
Its HTTP routes are exchange/api/console.py; nothing here knows HTTP.  Everything an action does goes
through the exchange's services (submissions, reports, auth), the same ones the JSON API calls.
It may import the exchange outside api/ (and store/ through it), checks, rules, policy, errors and i18n.
"""
