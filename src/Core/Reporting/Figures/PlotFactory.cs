using System.Globalization;
using Harness.Core.Records;
using ScottPlot;

namespace Harness.Core.Reporting.Figures;

/// <summary>Builds a ScottPlot <see cref="Plot"/> for each chart kind of <see cref="FigureSpec"/> (image grids are drawn elsewhere).</summary>
public static class PlotFactory
{
    /// <summary>Sizes in logical pixels for a plot about 640 wide (scaled to the page).</summary>
    const float TickSize = 14, LabelSize = 16, TitleSize = 17, LegendSize = 13;

    /// <summary>Legend markers of scatter plots: large enough to match a colour to its cluster, whatever the point size.</summary>
    public const float LegendMarkerSize = 11;

    public static Plot Create(FigureSpec spec, string fontFamily, bool showTitle)
    {
        PlotFonts.Register();
        var plot = new Plot();
        // Sizes first, so that a kind can adjust its own (bar charts with many names shrink theirs).
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.Label.FontSize = LabelSize;
            axis.TickLabelStyle.FontSize = TickSize;
        }
        plot.Legend.FontSize = LegendSize;
        switch (spec)
        {
            case LineChartSpec s: Line(plot, s); break;
            case HeatmapSpec s: Heatmap(plot, s, fontFamily); break;
            case ScatterSpec s: Scatter(plot, s); break;
            case BarChartSpec s: Bars(plot, s, fontFamily); break;
            case RegionMapSpec s: Regions(plot, s); break;
            default: throw new ArgumentException($"no plot for figure kind {spec.GetType().Name}");
        }
        plot.Font.Set(fontFamily);
        if (showTitle) { plot.Title(spec.Title); plot.Axes.Title.Label.FontSize = TitleSize; }
        return plot;
    }

    static Color Palette(int i) => new ScottPlot.Palettes.Category10().GetColor(i);

    static void Line(Plot plot, LineChartSpec s)
    {
        plot.XLabel(s.XLabel);
        plot.YLabel(s.YLabel);
        for (var i = 0; i < s.Series.Count; i++)
        {
            var series = s.Series[i];
            var n = Math.Min(series.X.Length, series.Y.Length);
            var xs = series.X.Take(n).ToArray();
            var ys = series.Y.Take(n).Select(y => s.LogY ? Math.Log10(Math.Max(y, 1e-300)) : y).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = series.Name;
            line.Color = Palette(i);
            line.LineWidth = 2;
            line.MarkerSize = n <= 30 ? 5 : 0;
        }
        if (s.Series.Count > 0 && s.Series.All(x => x.X.All(v => Math.Abs(v - Math.Round(v)) < 1e-9)))
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true }; // epochs, steps
        if (s.LogY)
        {
            var ticks = new ScottPlot.TickGenerators.NumericAutomatic
            {
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                IntegerTicksOnly = true,
                LabelFormatter = y => Math.Pow(10, y).ToString("G3", CultureInfo.InvariantCulture),
            };
            plot.Axes.Left.TickGenerator = ticks;
        }
        if (s.Series.Count > 1) plot.ShowLegend(Edge.Right);
        else if (s.Series.Count == 1 && s.Series[0].Name.Length > 0) plot.ShowLegend(Alignment.UpperRight);
    }

    /// <summary>
    /// Rotates an axis's tick labels and reserves their depth (ScottPlot sizes the axis for unrotated labels, so long rotated
    /// ones would run off the figure's edge and into the axis title): the widest label, measured in the figure's font.
    /// </summary>
    static void RotateTickLabels(IAxis axis, IEnumerable<string> labels, float degrees, string fontFamily)
    {
        var style = axis.TickLabelStyle;
        style.Rotation = degrees;
        style.Alignment = Alignment.MiddleRight;
        var face = Document.FontLibrary.Default.Find(fontFamily, SkiaSharp.SKFontStyle.Normal) ?? SkiaSharp.SKTypeface.Default;
        using var font = new SkiaSharp.SKFont(face, style.FontSize);
        var widest = labels.DefaultIfEmpty("").Max(l => font.MeasureText(l));
        var angle = MathF.Abs(degrees) * MathF.PI / 180;
        var depth = widest * MathF.Sin(angle) + style.FontSize * MathF.Cos(angle);
        axis.MinimumSize = depth + axis.Label.FontSize * 1.6f + 16;
    }

    static void Heatmap(Plot plot, HeatmapSpec s, string fontFamily)
    {
        var rows = s.Values.Length;
        var cols = rows == 0 ? 0 : s.Values.Max(r => r.Length);
        var all = s.Values.SelectMany(r => r).Where(double.IsFinite).ToArray();
        var (lo, hi) = all.Length == 0 ? (0d, 1d) : (all.Min(), all.Max());
        if (hi - lo < 1e-12) hi = lo + 1;
        var textSize = (float)Math.Clamp(300.0 / Math.Max(rows, cols), 7, 15);
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < s.Values[r].Length; c++)
            {
                var v = s.Values[r][c];
                var t = double.IsFinite(v) ? (v - lo) / (hi - lo) : 0;
                var y = rows - 1 - r; // row 0 at the top
                var rect = plot.Add.Rectangle(c - 0.5, c + 0.5, y - 0.5, y + 0.5);
                rect.FillColor = Shade(t);
                rect.LineWidth = 0;
                var label = plot.Add.Text(v.ToString(s.CellFormat, CultureInfo.InvariantCulture), c, y);
                label.LabelFontSize = textSize;
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontColor = t > 0.55 ? Colors.White : Colors.Black;
            }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, cols).Select(i => (double)i).ToArray(),
            Enumerable.Range(0, cols).Select(i => i < s.ColumnLabels.Length ? s.ColumnLabels[i] : i.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Left.SetTicks(Enumerable.Range(0, rows).Select(i => (double)(rows - 1 - i)).ToArray(),
            Enumerable.Range(0, rows).Select(i => i < s.RowLabels.Length ? s.RowLabels[i] : i.ToString(CultureInfo.InvariantCulture)).ToArray());
        var longest = s.ColumnLabels.DefaultIfEmpty("").Max(l => l.Length);
        if (longest * cols > 60) RotateTickLabels(plot.Axes.Bottom, s.ColumnLabels, -45, fontFamily);
        plot.Axes.SetLimits(-0.5, cols - 0.5, -0.5, rows - 0.5);
        plot.HideGrid();
        plot.XLabel(s.XLabel);
        plot.YLabel(s.YLabel);
    }

    /// <summary>White → dark blue, readable with black text at the light end and white at the dark end.</summary>
    static Color Shade(double t)
    {
        t = Math.Clamp(t, 0, 1);
        byte Lerp(byte a, byte b) => (byte)Math.Round(a + (b - a) * t);
        return new Color(Lerp(0xF7, 0x08), Lerp(0xFB, 0x30), Lerp(0xFF, 0x6B));
    }

    static void Scatter(Plot plot, ScatterSpec s)
    {
        plot.XLabel(s.XLabel);
        plot.YLabel(s.YLabel);
        var n = Math.Min(s.X.Length, Math.Min(s.Y.Length, s.Classes.Length));
        var classes = s.Classes.Take(n).Distinct().OrderBy(c => c).ToList();
        var markerSize = n > 3000 ? 2.5f : n > 500 ? 4 : 6;
        foreach (var c in classes)
        {
            var idx = Enumerable.Range(0, n).Where(i => s.Classes[i] == c).ToArray();
            var m = plot.Add.Markers(idx.Select(i => (double)s.X[i]).ToArray(), idx.Select(i => (double)s.Y[i]).ToArray());
            m.Color = Palette(c).WithAlpha(0.75);
            m.MarkerSize = markerSize;
            // The legend's own markers: the points' 2.5 px would be too small to tell the colours apart.
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = c >= 0 && c < s.ClassNames.Length ? s.ClassNames[c] : $"class {c}",
                MarkerShape = MarkerShape.FilledCircle,
                MarkerSize = LegendMarkerSize,
                MarkerFillColor = Palette(c),
                MarkerLineColor = Palette(c),
                LineWidth = 0,
            });
        }
        plot.ShowLegend(Edge.Right);
    }

    static void Bars(Plot plot, BarChartSpec s, string fontFamily)
    {
        var groups = s.Categories.Length;
        var k = Math.Max(1, s.Series.Count);
        var barWidth = 0.8 / k;
        // A few long category names would collide (or be clipped when rotated) under vertical bars: lay the bars
        // on their side instead, categories read top to bottom on the left. Many short names are rotated instead.
        var crowded = s.Categories.DefaultIfEmpty("").Max(c => c.Length) * groups > 60;
        var horizontal = crowded && groups <= 12;
        var labelled = groups * k <= 12; // the exact values, where there is room: differences of a point are invisible as lengths
        double Slot(int g) => horizontal ? groups - 1 - g : g;
        var bars = new List<Bar>();
        for (var j = 0; j < s.Series.Count; j++)
            for (var g = 0; g < groups && g < s.Series[j].Values.Length; g++)
            {
                var v = s.Series[j].Values[g];
                bars.Add(new Bar
                {
                    Position = Slot(g) + (horizontal ? 0.4 - barWidth * (j + 0.5) : -0.4 + barWidth * (j + 0.5)),
                    Value = v,
                    Size = barWidth * 0.92,
                    FillColor = Palette(j),
                    LineWidth = 0,
                    Label = labelled ? ValueText(v) : "",
                });
            }
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = horizontal;
        barPlot.ValueLabelStyle.FontSize = TickSize;
        var ticks = Enumerable.Range(0, groups).Select(Slot).ToArray();
        if (horizontal)
        {
            plot.XLabel(s.YLabel);
            plot.YLabel(s.XLabel);
            plot.Axes.Left.SetTicks(ticks, s.Categories);
            plot.Axes.Margins(left: 0, right: labelled ? 0.2 : 0.05); // room for the value labels
        }
        else
        {
            plot.XLabel(s.XLabel);
            plot.YLabel(s.YLabel);
            plot.Axes.Bottom.SetTicks(ticks, s.Categories);
            if (crowded)
            {
                if (groups > 24) plot.Axes.Bottom.TickLabelStyle.FontSize = Math.Min(TickSize, 0.75f * 540 / groups); // one line of text per bar
                RotateTickLabels(plot.Axes.Bottom, s.Categories, groups > 24 ? -90 : -45, fontFamily);
            }
            plot.Axes.Margins(bottom: 0, top: labelled ? 0.1 : 0.05);
        }
        if (s.Series.Count > 1)
        {
            plot.Legend.ManualItems.AddRange(s.Series.Select((x, j) => new LegendItem { LabelText = x.Name, FillColor = Palette(j) }));
            plot.ShowLegend(horizontal ? Edge.Bottom : Edge.Right); // beside horizontal bars it would squeeze the plot between two label columns
        }
    }

    static string ValueText(double v) =>
        Math.Abs(v) >= 1000 ? v.ToString("#,0", CultureInfo.InvariantCulture)
        : Math.Abs(v) >= 10 ? v.ToString("0.00", CultureInfo.InvariantCulture)
        : v.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>
    /// Predicted labels on a regular grid: <c>Grid[row][col]</c>, row 0 at <c>YMin</c> (bottom), column 0 at <c>XMin</c>.
    /// Runs of equal labels along a row become one rectangle; outlines are closed polylines of (x, y) points.
    /// </summary>
    static void Regions(Plot plot, RegionMapSpec s)
    {
        plot.XLabel(s.XLabel);
        plot.YLabel(s.YLabel);
        var rows = s.Grid.Length;
        var dy = rows == 0 ? 0 : (s.YMax - s.YMin) / rows;
        for (var r = 0; r < rows; r++)
        {
            var row = s.Grid[r];
            if (row.Length == 0) continue;
            var dx = (s.XMax - s.XMin) / row.Length;
            var start = 0;
            for (var c = 1; c <= row.Length; c++)
            {
                if (c < row.Length && row[c] == row[start]) continue;
                var rect = plot.Add.Rectangle(s.XMin + start * dx, s.XMin + c * dx, s.YMin + r * dy, s.YMin + (r + 1) * dy);
                rect.FillColor = Palette((int)Math.Round(row[start])).WithAlpha(0.35);
                rect.LineWidth = 0;
                start = c;
            }
        }
        foreach (var outline in s.Outlines)
        {
            if (outline.Length < 2) continue;
            var pts = outline.Append(outline[0]).ToArray();
            var line = plot.Add.Scatter(pts.Select(p => p[0]).ToArray(), pts.Select(p => p[1]).ToArray());
            line.Color = Colors.Black;
            line.LineWidth = 2;
            line.MarkerSize = 0;
        }
        plot.Axes.SetLimits(s.XMin, s.XMax, s.YMin, s.YMax);
        plot.HideGrid();
    }
}
