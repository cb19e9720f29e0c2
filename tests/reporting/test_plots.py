"""Charts: titled, labelled, sourced, bounds visible; inspected through their artists."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.container import ErrorbarContainer
from matplotlib.figure import Figure

from bri_analysis import load_dataset
from bri_analysis.analysis import facts
from bri_analysis.reporting import plots, style


@pytest.fixture
def points(fixture_data):
    """Fixture-forum participants: 2017 disputed (≥ 1,600 verified vs ≈ 1,500), 2019 ≈ 6,000."""
    return facts.series(load_dataset(fixture_data), "forum", "participants")


@pytest.fixture
def counts():
    return pd.DataFrame(
        {
            "channel": ["Industrial cooperation", "Third-party market", "Cooperation document"],
            "countries": [40, 5, 150],
            "bound": ["lower", "exact", "approx"],
        }
    )


def check_figure(fig, tmp_path, title, note):
    """The house rules every chart must meet, and it renders to PNG."""
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == title
    assert ax.get_xlabel().strip() and ax.get_ylabel().strip()
    assert any(note in t.get_text() for t in fig.texts), "no source note under the figure"
    path = tmp_path / "chart.png"
    fig.savefig(path)
    assert path.stat().st_size > 5_000


def texts(ax):
    return [t.get_text() for t in ax.texts]


def legend_texts(fig):
    """The texts of every legend, the figure's and each axes'."""
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]
    return [t.get_text() for legend in legends for t in legend.get_texts()]


def fact_markers(ax):
    """The markers drawn for facts (the caps of a range bar are markers too, shaped "_")."""
    return [line for line in ax.lines if line.get_marker() in ("o", "^", "v")]


def no_overlap(labels):
    """True when no two (non-empty) tick labels' boxes intersect on the rendered figure."""
    boxes = [t.get_window_extent() for t in labels if t.get_text()]
    return not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


# --- bar_chart -------------------------------------------------------------------------------


def test_bar_chart_hatches_bounds_and_keeps_them_in_labels(counts, tmp_path):
    fig = plots.bar_chart(
        counts,
        category="channel",
        value="countries",
        title="Countries per channel",
        xlabel="Countries",
        ylabel="Channel",
        source_note="Source: bri_progress_2019",
    )
    check_figure(fig, tmp_path, "Countries per channel", "bri_progress_2019")
    ax = fig.axes[0]
    bars = ax.patches
    assert [bar.get_width() for bar in bars] == [40, 5, 150]
    assert [bool(bar.get_hatch()) for bar in bars] == [True, False, True]
    assert texts(ax) == ["≥ 40", "5", "≈ 150"]
    assert {"at least (≥)", "about (≈)", "as stated"} <= set(legend_texts(fig))
    # first row on top
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "Industrial cooperation"
    assert ax.yaxis_inverted()


def test_vertical_bar_chart_with_own_labels_and_no_bounds(counts, tmp_path):
    frame = counts.assign(label=["more than 40", "5", "about 150"])
    fig = plots.bar_chart(
        frame,
        category="channel",
        value="countries",
        bound=None,
        title="T",
        xlabel="Channel",
        ylabel="Countries",
        source_note="Source: x",
        horizontal=False,
        value_labels="label",
    )
    check_figure(fig, tmp_path, "T", "Source: x")
    ax = fig.axes[0]
    assert [bar.get_height() for bar in ax.patches] == [40, 5, 150]
    assert not any(bar.get_hatch() for bar in ax.patches)
    assert texts(ax) == ["more than 40", "5", "about 150"]
    assert not fig.legends  # nothing to explain when every figure is exact
    fig.canvas.draw()
    assert no_overlap(ax.get_xticklabels())


def test_bar_chart_without_value_labels(counts):
    fig = plots.bar_chart(
        counts,
        category="channel",
        value="countries",
        title="T",
        xlabel="x",
        ylabel="y",
        source_note="s",
        value_labels=False,
    )
    assert texts(fig.axes[0]) == []


def test_bar_chart_rejects_bad_input(counts):
    kwargs = {"title": "T", "xlabel": "x", "ylabel": "y", "source_note": "s"}
    with pytest.raises(KeyError, match="no column.*'bound'.*it has: channel, countries"):
        plots.bar_chart(
            counts.drop(columns="bound"), category="channel", value="countries", **kwargs
        )
    gap = counts.astype({"countries": float})
    gap.loc[1, "countries"] = np.nan
    with pytest.raises(ValueError, match="no number for: Third-party market"):
        plots.bar_chart(gap, category="channel", value="countries", **kwargs)
    with pytest.raises(ValueError, match="unknown bound.*more"):
        plots.bar_chart(
            counts.assign(bound="more"), category="channel", value="countries", **kwargs
        )
    with pytest.raises(ValueError, match="title must be a non-empty string"):
        plots.bar_chart(counts, category="channel", value="countries", **{**kwargs, "title": " "})
    with pytest.raises(ValueError, match="no rows"):
        plots.bar_chart(counts.iloc[:0], category="channel", value="countries", **kwargs)


def test_many_bars_get_a_taller_figure_without_overlapping_labels():
    frame = pd.DataFrame({"country": [f"Country {i}" for i in range(150)], "n": range(150)})
    fig = plots.bar_chart(
        frame,
        category="country",
        value="n",
        bound=None,
        title="Reach",
        xlabel="Mechanisms",
        ylabel="Country",
        source_note="s",
    )
    assert fig.get_figheight() > 40
    fig.canvas.draw()
    assert no_overlap(fig.axes[0].get_yticklabels())


# --- series charts ---------------------------------------------------------------------------


def test_series_chart_draws_a_lower_bound_as_a_hollow_marker(points, tmp_path):
    fig = plots.series_chart(
        points, title="Participants", ylabel="Participants", source_note="Sources: report; news"
    )
    check_figure(fig, tmp_path, "Participants", "Sources: report; news")
    ax = fig.axes[0]
    markers = fact_markers(ax)
    lower = [m for m in markers if 1600 in m.get_ydata()]
    assert len(lower) == 1
    assert lower[0].get_marker() == "^"
    assert lower[0].get_fillstyle() == "none"
    approx = [m for m in markers if 1500 in m.get_ydata()]
    assert approx[0].get_fillstyle() == "none"
    # the reference line goes through the verified lower bound, not the approximate 1,500
    (line,) = [line for line in ax.lines if line.get_linestyle() == "-"]
    assert list(line.get_ydata()) == [1600, 6000]
    # the dispute is drawn (a range bar) and written (a range label)
    assert any(isinstance(c, ErrorbarContainer) for c in ax.containers)
    assert "≈ 1,500 – ≥ 1,600" in texts(ax)
    assert "≈ 6,000" in texts(ax)
    assert {"at least (≥)", "about (≈)", "sources disagree (range)"} <= set(legend_texts(fig))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1st\n2017", "2nd\n2019"]
    assert ax.get_xlabel() == "Edition"
    assert ax.get_ylim()[0] == 0


def test_series_chart_of_eight_money_editions(dataset, tmp_path):
    """CIIE deals: currency on the axis, "$" kept literal, crowded labels alternate sides."""
    deals = facts.series(dataset, "ciie", "deal_value")
    fig = plots.series_chart(deals, title="Deals", ylabel="Intended deals", source_note="s")
    check_figure(fig, tmp_path, "Deals", "s")
    ax = fig.axes[0]
    assert ax.yaxis.get_major_formatter()(8e10, 0) == "US$80 bn"
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0] == "1st\n2018" and ticks[-1] == "8th\n2025"
    labels = [t for t in ax.texts if "US$" in t.get_text()]
    assert len(labels) == 8
    assert "US$70.6 bn – US$70.7 bn" in texts(ax)  # 2021: two sources disagree
    assert "US$73.5 bn – US$73.52 bn" in texts(ax)  # as many decimals as tell them apart
    assert {t.get_va() for t in labels} == {"bottom", "top"}
    assert not any(t.get_parse_math() for t in [*ax.texts, *ax.get_yticklabels()])


def test_labels_of_editions_close_in_time_do_not_overprint(dataset, tmp_path):
    """China-South Asia Expo exhibitors: the 8th (2024) and 9th (2025) are close together."""
    exhibitors = facts.series(dataset, "china_south_asia_expo", "exhibitors")
    assert exhibitors["point"].nunique() <= 5  # few enough that labels do not alternate
    fig = plots.series_chart(exhibitors, title="Exhibitors", ylabel="y", source_note="s")
    fig.savefig(tmp_path / "close.png")
    labels = fig.axes[0].texts
    assert "≥ 1,400 – ≥ 2,500" in texts(fig.axes[0])
    assert no_overlap(labels)
    assert {t.get_va() for t in labels} == {"bottom"}  # all above their points


def test_series_chart_marks_an_exact_figure_filled(points, tmp_path):
    exact = points[points["source_id"] == "report"].assign(bound="exact", disputed=False)
    fig = plots.series_chart(exact, title="T", ylabel="y", source_note="s")
    ax = fig.axes[0]
    (marker,) = fact_markers(ax)
    assert marker.get_fillstyle() == "full"
    assert not any(isinstance(c, ErrorbarContainer) for c in ax.containers)
    assert "sources disagree (range)" not in legend_texts(fig)


def test_series_chart_needs_series_columns(points):
    with pytest.raises(KeyError, match="'disputed'"):
        plots.series_chart(points.drop(columns="disputed"), title="T", ylabel="y", source_note="s")
    with pytest.raises(ValueError, match="no points"):
        plots.series_chart(points.iloc[:0], title="T", ylabel="y", source_note="s")


def test_multi_series_chart_one_colour_per_series(points, tmp_path):
    later = points.assign(point=points["point"] + pd.Timedelta(days=365), value=points["value"] / 2)
    fig = plots.multi_series_chart(
        {"Participants": points, "Half": later},
        title="Two",
        ylabel="Count",
        source_note="Source: y",
    )
    check_figure(fig, tmp_path, "Two", "Source: y")
    ax = fig.axes[0]
    lines = [line for line in ax.lines if line.get_linestyle() == "-"]
    assert [line.get_color() for line in lines] == list(style.PALETTE[:2])
    assert {"Participants", "Half", "at least (≥)"} <= set(legend_texts(fig))
    assert "≈ 6,000" in texts(ax) and "≈ 3,000" in texts(ax)  # latest point of each series
    with pytest.raises(ValueError, match="8 series but the house palette has 7"):
        plots.multi_series_chart(
            {str(i): points for i in range(8)}, title="T", ylabel="y", source_note="s"
        )


def test_end_labels_of_series_ending_together_do_not_overlap(points, tmp_path):
    same = points.assign(value=points["value"] + 1)  # ends one unit above the other
    fig = plots.multi_series_chart(
        {"Official": points, "Named": same}, title="T", ylabel="y", source_note="s"
    )
    fig.savefig(tmp_path / "ends.png")
    renderer = fig.canvas.get_renderer()
    ends = [t for t in fig.axes[0].texts if t.get_text() in {"≈ 6,000", "≈ 6,001"}]
    assert len(ends) == 2
    first, second = (t.get_window_extent(renderer) for t in ends)
    assert not first.overlaps(second)


# --- heatmap ---------------------------------------------------------------------------------


def test_boolean_heatmap_of_150_by_15_stays_readable(tmp_path):
    rng = np.random.default_rng(0)
    matrix = pd.DataFrame(
        rng.random((150, 15)) > 0.6,
        index=[f"Country with a long name {i}" for i in range(150)],
        columns=[f"mechanism_{j}" for j in range(15)],
    )
    fig = plots.heatmap(
        matrix,
        title="Membership",
        xlabel="Mechanism",
        ylabel="Country",
        source_note="Source: memberships.csv",
        bool_labels=("member", "not a member"),
    )
    check_figure(fig, tmp_path, "Membership", "memberships.csv")
    ax = fig.axes[0]
    assert len(ax.get_yticks()) == 150
    assert fig.get_figheight() > 25  # grows with the rows
    fig.canvas.draw()
    assert no_overlap(ax.get_yticklabels())
    assert no_overlap(ax.get_xticklabels())
    assert {"member", "not a member"} <= {t.get_text() for t in ax.get_legend().get_texts()}
    assert texts(ax) == []  # booleans are colours, not numbers


def test_numeric_heatmap_annotates_each_cell(tmp_path):
    ids = ["sco", "asem", "focac"]
    matrix = pd.DataFrame(
        [[1.0, 0.25, 0.0], [0.25, 1.0, np.nan], [0.0, np.nan, 1.0]], index=ids, columns=ids
    )
    fig = plots.heatmap(
        matrix, title="Overlap", xlabel="Mechanism", ylabel="Mechanism", source_note="Source: z"
    )
    check_figure(fig, tmp_path, "Overlap", "Source: z")
    assert sorted(texts(fig.axes[0])) == sorted(["1.00", "0.25", "0.00"] * 2 + ["1.00"])
    assert len(fig.axes) == 2  # the colour bar
    assert fig.axes[1].get_ylabel() == "blank cell: no value"
    plain = plots.heatmap(
        matrix, title="O", xlabel="x", ylabel="y", source_note="s", annotate=False
    )
    assert texts(plain.axes[0]) == []


def test_heatmap_rejects_text_columns():
    matrix = pd.DataFrame({"country": ["Kazakhstan"], "sco": [True]})
    with pytest.raises(ValueError, match="boolean or numeric; not so: country"):
        plots.heatmap(matrix, title="T", xlabel="x", ylabel="y", source_note="s")


# --- stacked and share charts ------------------------------------------------------------------


def test_stacked_region_chart(tmp_path):
    frame = pd.DataFrame(
        {
            "region": ["Asia", "Asia", "Africa", "Europe"],
            "channel": [
                "industrial_cooperation_agreement",
                "third_party_market_cooperation",
                "industrial_cooperation_agreement",
                "third_party_market_cooperation",
            ],
            "countries": [2, 1, 2, 4],
        }
    )
    fig = plots.stacked_region_chart(frame, title="By region", source_note="Source: participation")
    check_figure(fig, tmp_path, "By region", "Source: participation")
    ax = fig.axes[0]
    # largest total first (on top), totals written at the end of each bar
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Europe", "Asia", "Africa"]
    assert {"4", "3", "2"} <= set(texts(ax))
    assert {"industrial cooperation agreement", "third party market cooperation"} <= set(
        legend_texts(fig)
    )
    # a channel keeps its colour whatever other channels a chart has (its place in stack_names)
    names = {
        "industrial_cooperation_agreement": "Industrial",
        "third_party_market_cooperation": "Third",
    }
    only_third = frame[frame["channel"] == "third_party_market_cooperation"]
    for chart in (frame, only_third):
        fig = plots.stacked_region_chart(chart, title="T", source_note="s", stack_names=names)
        colours = {
            text.get_text(): handle.get_facecolor()
            for text, handle in zip(
                fig.axes[0].get_legend().get_texts(),
                fig.axes[0].get_legend().legend_handles,
                strict=True,
            )
        }
        assert matplotlib.colors.to_hex(colours["Third"]) == style.PALETTE[1].lower()
    with pytest.raises(ValueError, match="more than one row for: Asia / industrial"):
        plots.stacked_region_chart(pd.concat([frame, frame.iloc[:1]]), title="T", source_note="s")


def test_share_chart_uses_a_percent_axis_and_keeps_bounds(tmp_path):
    frame = pd.DataFrame(
        {
            "channel": ["Industrial cooperation", "Asia"],
            "share": [0.1, 0.93],
            "bound": ["upper", "exact"],
        }
    )
    fig = plots.share_chart(
        frame,
        category="channel",
        share="share",
        bound="bound",
        title="Named share",
        source_note="Source: w",
    )
    check_figure(fig, tmp_path, "Named share", "Source: w")
    ax = fig.axes[0]
    assert ax.get_xlim() == (0, 100)
    assert {"≤ 10%", "93%"} <= set(texts(ax))
    assert "at most (≤)" in legend_texts(fig)
    with pytest.raises(ValueError, match="between 0 and 1.*Asia"):
        plots.share_chart(
            frame.assign(share=[0.1, 93]),
            category="channel",
            share="share",
            title="T",
            source_note="s",
        )


def test_pyplot_keeps_no_figures(counts):
    before = plt.get_fignums()
    plots.bar_chart(
        counts,
        category="channel",
        value="countries",
        title="T",
        xlabel="x",
        ylabel="y",
        source_note="s",
    )
    assert plt.get_fignums() == before


def test_a_chart_renders_on_its_own_canvas(counts):
    # charts once kept a bare FigureCanvasBase: draw() did nothing, buffer_rgba() raised
    fig = plots.bar_chart(
        counts, category="channel", value="countries", title="t", xlabel="x", ylabel="y",
        source_note="s",
    )  # fmt: skip
    fig.canvas.draw()
    width, height = fig.canvas.get_width_height()
    assert np.asarray(fig.canvas.buffer_rgba()).shape == (height, width, 4)


def test_a_chart_leaves_the_callers_matplotlib_settings_alone(counts):
    # every chart once called sns.set_theme, changing spines, title position and colours
    with matplotlib.rc_context({"axes.spines.top": True, "axes.titlelocation": "center"}):
        before = dict(matplotlib.rcParams)
        fig = plots.bar_chart(
            counts, category="channel", value="countries", title="t", xlabel="x", ylabel="y",
            source_note="s",
        )  # fmt: skip
        assert dict(matplotlib.rcParams) == before
    ax = fig.axes[0]
    assert not ax.spines["top"].get_visible()  # the chart itself is in the house style
