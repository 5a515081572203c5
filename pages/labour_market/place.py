"""Labour market > The place: official statistics for the chosen LA (or the whole area) beside its
region, its country and its most similar LAs, with period, status, source and a small trend."""

import streamlit as st

from components import cards, context, slides
from components import place as draw
from components.text import literal
from insight.core import geo
from insight.numbers import catalogue, place

view, sel = context.current()
# Every official table below comes through draw.official: made once per mode, role and arguments
# (official statistics are the same for everyone), shared by every session.
_INTRO = (
    "The local labour market the provider works in, from ONS Explore Local Statistics: each "
    "indicator's latest figure beside the region, the country and the median of the five most "
    "similar Local Authorities (ONS's statistical nearest neighbours)."
)
cards.page_heading("The place", view, _INTRO, room=_INTRO)
draw.official_note()
for line in place.older_than_provider(view.meta):
    st.info(literal(line))
if sel.mode == "standard":  # the page's comparison as one slide (catalogue.PLACE)
    slides.add_to_meeting(catalogue.PLACE, sel, key="place")

chosen_kind = st.segmented_control(
    "Similar by",
    list(place.KINDS),
    format_func=lambda k: place.KINDS[k],
    default="global",
    key="place_kind",
    required=True,
    help="ONS's three kinds of nearest neighbours: overall, economic or demographic.",
)
kind = chosen_kind or "global"  # required=True: never None, but typed so
codes = view.la_codes
if sel.is_whole_area:
    # The area's name is the dataset's text: shown as written, never as markdown (a web address
    # in it must not become a link).
    st.header(f"{literal(view.meta.area_name)}: the area's {len(codes)} Local Authorities")
    st.caption(
        "Rates for the whole area are the LAs' figures weighted by their working-age population "
        "(ONS mid-2022): an approximation made here, not an ONS figure. Pay and travel times are "
        "not combined ([z]); each LA's figure is listed below."
    )
    draw.comparison(draw.official(sel, place.area_comparison, codes), sel, key="area", view=view)
    st.subheader("Each Local Authority")
    # Narrower static tables, one per group of indicators, so no column is cut off at 1366 px;
    # standard mode's CSV (after the last) holds every indicator.
    with draw.fold("Each Local Authority's figures", sel):
        last = len(place.LISTED_GROUPS) - 1
        for n, group in enumerate(place.LISTED_GROUPS):
            draw.table(
                draw.official(sel, place.listed, codes, group),
                sel,
                key="listed" if n == last else f"listed_{n}",  # the log's key, as before
                file_name="official_context_by_la.csv" if n == last else "",
                view=view,
                static=True,
                csv=draw.official(sel, place.listed, codes) if n == last else None,
            )
else:
    code = geo.to_2024(sel.la)
    name = geo.la_name(code)
    st.header(f"{literal(name)} beside its region, its country and similar areas")
    draw.comparison(draw.official(sel, place.comparison, code, kind), sel, key="la", view=view)
    with draw.fold(f"Areas most like {literal(name)}", sel):
        st.subheader(f"Areas most like {literal(name)}")
        st.caption(f"ONS's {place.KINDS[kind].lower()} nearest neighbours, most similar first.")
        draw.table(
            draw.official(sel, place.similar_table, code, kind, codes),
            sel,
            key="similar",
            static=True,
        )

pairs = draw.official(sel, place.similar_within, codes, kind)
if pairs:
    with draw.fold("Local Authorities in this area that are like each other", sel):
        st.subheader("Local Authorities in this area that are like each other")
        st.markdown(
            "\n".join(
                f"- {literal(geo.la_name(b))} is one of the five most like "
                f"{literal(geo.la_name(a))}"
                for a, b in pairs
                if sel.is_whole_area or geo.to_2024(sel.la) in (a, b)
            )
            or literal("None of this area's other LAs is among the five most like it.")
        )

st.header("Trends")
if sel.is_whole_area:
    compare = place.common_comparator(codes, place.region_of) or place.common_comparator(
        codes, place.country_of
    )
    subject: str | tuple[str, ...] = codes
    who = f"The area's {len(codes)} LAs, weighted by working-age population,"
    keys: tuple[str, ...] | None = place.RATE_KEYS
else:
    subject = geo.to_2024(sel.la)
    compare = place.region_of(subject) or place.country_of(subject)
    who, keys = geo.la_name(subject), None
against = f" against {place.area_name(compare)} (dotted)" if compare else ""
with draw.fold("Each indicator over time", sel):
    st.caption(
        literal(
            f"{who} (solid){against}, over the latest periods in the source. A gap is a period "
            "with no figure."
        )
    )
    draw.trends(subject, sel, compare, keys=keys)
