package io.jepoll.benchmarks.charts;

import io.jepoll.benchmarks.charts.ChartSpec.Series;
import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;

/** Draws a {@link ChartSpec} with XChart into a PNG file. */
final class ChartRenderer {

    static final int WIDTH = 900;
    static final int HEIGHT = 500;
    private static final double PLOT_SHARE = 0.85;
    /** Pixels between two category labels, so that they read as two. */
    private static final double LABEL_GAP = 12;

    static {
        // This is the only class that touches AWT, through XChart. Charts are drawn on servers and
        // in tests with no display, and AWT reads this property once, when it first starts.
        System.setProperty("java.awt.headless", "true");
    }

    private ChartRenderer() {
    }

    static void writePng(ChartSpec spec, Path file) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(spec.title())
                .xAxisTitle(spec.xAxisTitle()).yAxisTitle(spec.yAxisTitle()).build();
        CategoryStyler styler = chart.getStyler();
        // Below the plot the legend takes height, not the width the bars need.
        styler.setLegendPosition(LegendPosition.OutsideS);
        styler.setLegendLayout(LegendLayout.Horizontal);
        styler.setYAxisDecimalPattern(decimalPattern(spec));
        if (labelsCollide(styler.getAxisTickLabelsFont(), spec.categories())) {
            styler.setXAxisLabelRotation(30);
        }
        if (spec.style() == ChartSpec.Style.BARS) {
            // Level, at the top inside each bar, in black: rotated labels run off the top of the
            // tallest bar, and XChart's automatic colour turns them white where they spill over
            // the background from a short bar.
            styler.setLabelsVisible(true);
            styler.setLabelsRotation(0);
            styler.setLabelsPosition(1.0);
            styler.setLabelsFontColorAutomaticEnabled(false);
            styler.setLabelsFontColor(Color.BLACK);
        } else {
            styler.setDefaultSeriesRenderStyle(CategorySeriesRenderStyle.Line);
            // Otherwise XChart offsets each series within a category, as it would bars.
            styler.setOverlapped(true);
            styler.setYAxisLogarithmic(true);
        }
        for (Series series : spec.series()) {
            chart.addSeries(series.name(), spec.categories(), series.values());
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
    }

    /**
     * Whether the widest category label, centred in its share of the x axis, would run into its
     * neighbours. The plot takes about {@link #PLOT_SHARE} of the chart's width; the rest is the
     * y axis and margins.
     */
    private static boolean labelsCollide(Font font, List<String> categories) {
        FontRenderContext context = new FontRenderContext(null, true, false);
        double widest = categories.stream()
                .mapToDouble(label -> font.getStringBounds(label, context).getWidth()).max().orElse(0);
        return widest + LABEL_GAP > WIDTH * PLOT_SHARE / categories.size();
    }

    /**
     * Decimals where the values need them, and no more. A logarithmic axis spans decades, so
     * its ticks (0.1, 1, 10, ...) need them down to its smallest.
     */
    private static String decimalPattern(ChartSpec spec) {
        if (spec.style() == ChartSpec.Style.LOG_LINES) {
            return "#,##0.###";
        }
        double largest = spec.series().stream().flatMap(series -> series.values().stream())
                .filter(Objects::nonNull).mapToDouble(Math::abs).max().orElse(0);
        return largest >= 1000 ? "#,##0" : largest >= 10 ? "#,##0.0" : "#,##0.00";
    }
}
