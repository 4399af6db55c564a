using System.Globalization;
using FluentAssertions;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Reporting;
using Harness.Core.Reporting.Document;
using Harness.Core.Reporting.Figures;
using Harness.Core.Requirements;
using NUnit.Framework;
using SkiaSharp;

namespace Harness.Spec.Reporting;

/// <summary>
/// The report defects of issue #22, each read back from a produced PDF (poppler's pdftotext -bbox, pdffonts) or from the
/// layout, so that each can fail again.
/// </summary>
[TestFixture, Property("Area", "Reporting")]
public class ReportDefectsSpec
{
    static readonly DocumentSettings Settings = new() { Title = "Defects", Author = "spec", TitlePage = false, HeaderLeft = "Defects" };
    static readonly string[] FashionClasses = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    static string Flat(string s) => string.Join(" ", s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [Test]
    public void Confusion_matrix_rotated_labels_are_whole_inside_the_figure_and_clear_of_the_axis_title()
    {
        PdfTools.Require();
        var n = FashionClasses.Length;
        var values = Enumerable.Range(0, n).Select(r => Enumerable.Range(0, n).Select(c => r == c ? 900.0 : (r + c) % 7).ToArray()).ToArray();
        var spec = new HeatmapSpec("Confusion matrix", values, FashionClasses, FashionClasses, "predicted", "true");
        var pdf = Path.Combine(PdfTools.TempDir("confusion"), "confusion.pdf");
        new ReportDocument(Settings).Figure(spec, "Confusion matrix of the test set.", "Liberation Sans").Save(pdf);

        var words = PdfTools.Words(pdf).Where(w => w.Page == 1).ToList();
        var caption = words.First(w => w.Word == "Figure");
        var xTitle = words.Single(w => w.Word == "predicted");
        var yTitle = words.Single(w => w.Word == "true");
        // Row labels: whole words left of the plot, clear of the y-axis title.
        foreach (var part in new[] { "T-shirt/top", "Trouser", "Sandal", "Ankle", "boot" })
            words.Should().Contain(w => w.Word == part && w.XMin > yTitle.XMax + 0.5, $"row label '{part}' is whole and clear of the axis title");
        // Column labels are rotated (pdftotext returns them in pieces): every letter of every label is there, below the
        // plot and above the axis title, and nothing of the figure leaves the content box or reaches the caption.
        var lastRow = words.First(w => w.Word == "Ankle");
        var rotated = words.Where(w => w.YMin > lastRow.YMax && w.YMax < xTitle.YMin + 1).ToList();
        string.Concat(string.Concat(rotated.Select(w => w.Word)).Order())
            .Should().Be(string.Concat(string.Concat(FashionClasses).Replace(" ", "").Order()), "every rotated column label is drawn whole");
        rotated.Max(w => w.YMax).Should().BeLessThan(xTitle.YMin, "no column label collides with the axis title");
        xTitle.YMax.Should().BeLessThan(caption.YMin, "the axis title is inside the figure, above its caption");
        words.Where(w => w.YMax < caption.YMin).Should().OnlyContain(w => w.XMin >= Settings.MarginLeft - 1 && w.XMax <= Settings.PageWidth - Settings.MarginRight + 1,
            "no label runs off the figure's sides");
    }

    [Test]
    public void Image_grid_labels_share_one_size_and_break_where_a_reader_would()
    {
        using var face = SKTypeface.FromFile(Path.Combine(FontLibrary.DefaultBundledFolder, "LiberationSans-Regular.ttf"));
        var labels = FashionClasses.Select((c, i) => $"{c} (p = {0.9 + i / 100.0:0.000})").ToList();
        var plan = ImageGridPainter.PlanLabels(labels, face);

        plan.Size.Should().BeGreaterThanOrEqualTo(ImageGridPainter.MinLabelSize);
        plan.LineCount.Should().BeLessThanOrEqualTo(2);
        foreach (var lines in plan.Lines)
            foreach (var line in lines)
            {
                line.Should().NotContain("…", "two lines at one size fit these labels");
                // "(p = 1.000)" is never broken inside its parentheses or next to '='.
                (line.Count(c => c == '(') == line.Count(c => c == ')')).Should().BeTrue($"'{line}' keeps its parentheses together");
                line.Trim().Should().NotStartWith("=").And.NotEndWith("=");
            }
        ImageGridPainter.Break("T-shirt/top (p = 1.000)", t => t.Length).Should().Equal("T-shirt/top", "(p = 1.000)");
    }

    [Test]
    public void Grade_sheet_rows_hold_measured_and_required_in_one_column_and_the_total_is_one_line()
    {
        PdfTools.Require();
        var requirements = Enumerable.Range(1, 40).Select(i => Requirement.Holds($"r{i}", $"Check number {i} of the recorded run holds", 1, $"check_{i}")).ToList();
        var task = new FakeTask("ex99", "T1", "Many checks", requirements);
        var values = Enumerable.Range(1, 40).ToDictionary(i => $"check_{i}", _ => 1.0);
        var record = SampleData.Record("ex99", "T1", values) with { Checks = values.ToDictionary(kv => kv.Key, _ => "") };
        var dir = PdfTools.TempDir("grade-sheet");
        var result = AssignmentReport.Write(new FakeAssignment([task]), _ => (record, dir), Ctx, Path.Combine(dir, "grades.pdf"));

        var words = PdfTools.Words(result.PdfPath);
        var sheetStart = words.First(w => w.Word == "Grade" && words.Any(x => x.Page == w.Page && x.Word == "sheet.")).Page;
        var totalWord = words.Last(w => w.Word == "Total");
        (totalWord.Page - sheetStart).Should().BeLessThanOrEqualTo(1, "42 rows of short cells fit on at most two pages");
        var total = words.Where(w => w.Page == totalWord.Page && Math.Abs(w.YMax - totalWord.YMax) < 1.5).Select(w => w.Word).ToList();
        string.Join(" ", total).Should().Contain("41 of 41 requirements pass").And.Contain("41 / 41", "the total row is one line (40 checks and the word limit)");
        Flat(PdfTools.Text(result.PdfPath)).Should().Contain("Measured (required)").And.NotContain("Expected");
    }

    [Test]
    public void A_split_table_leaves_no_orphan_rows_and_a_short_one_moves_whole()
    {
        PdfTools.Require();
        for (var filler = 5; filler < 60; filler += 6)
        {
            var doc = new ReportDocument(Settings);
            doc.Paragraph(string.Join(" ", Enumerable.Repeat("filler words here", filler * 8)));
            doc.Table(t => { t.Column("row").Column("value"); for (var i = 0; i < 30; i++) t.Row($"row{i:00}", $"{i}"); }, "Thirty rows.");
            var pdf = Path.Combine(PdfTools.TempDir($"orphans-{filler}"), "t.pdf");
            doc.Save(pdf);
            var rows = PdfTools.Words(pdf).Where(w => System.Text.RegularExpressions.Regex.IsMatch(w.Word, @"^row\d\d$")).GroupBy(w => w.Page).Select(g => g.Count()).ToList();
            rows.Sum().Should().Be(30);
            rows.Should().OnlyContain(c => c >= TableBlock.MinRowsPerPart,
                $"filler {filler}: each part of a split table has at least {TableBlock.MinRowsPerPart} rows ({string.Join(", ", rows)})");
        }
    }

    [Test]
    public void A_figure_that_nearly_fits_is_scaled_down_rather_than_leaving_the_page_empty()
    {
        var doc = new ReportDocument(Settings);
        var fill = Settings.ContentHeight * 0.45f;
        doc.Space(1).Add(new SpacerBlock(fill));
        void Box(SKCanvas c, SKRect r) { using var p = new SKPaint { Color = SKColors.SteelBlue }; c.DrawRect(r, p); }
        // Full width at aspect 0.75 is about 0.55 of the content height: it fits at ~0.9 scale on the first page.
        doc.Figure(Box, 0.75f * Settings.ContentHeight * 0.55f / Settings.ContentWidth, "A figure that nearly fits.");
        var layout = doc.Layout();
        layout.Pages.Should().HaveCount(1, "the figure is scaled (not below 70%) to stay on the page instead of leaving it half empty");
    }

    [Test]
    public void Scatter_legend_markers_are_large_enough_to_match_the_clusters()
    {
        var plot = PlotFactory.Create(new ScatterSpec("t-SNE", "x", "y", [0f, 1, 2, 3], [0f, 1, 2, 3], [0, 1, 2, 3], ["a", "b", "c", "d"]), "Liberation Sans", false);
        var items = plot.Legend.ManualItems;
        items.Should().HaveCount(4);
        items.Should().OnlyContain(i => i.MarkerSize >= PlotFactory.LegendMarkerSize && i.MarkerSize >= 10);
    }

    [Test]
    public void Measured_values_read_in_words_and_in_the_units_of_the_text()
    {
        var requirements = new[] { Requirement.AtLeast("acc", "Test accuracy", 1, "best_test_accuracy", new Threshold(0.9, 0.8), ValueFormat.Percent) };
        var record = SampleData.Record("ex99", "T1", new Dictionary<string, double>
        {
            ["best_test_accuracy"] = 0.8091, ["train_test_gap"] = -0.078, ["flip_is_mirror"] = 1, ["parameters"] = 1199882, ["final_train_accuracy"] = 0.75,
        }) with { Checks = new Dictionary<string, string> { ["flip_is_mirror"] = "the flipped image is the mirror image" } };

        ValueDisplay.Name("best_test_accuracy").Should().Be("Best test accuracy");
        ValueDisplay.Name("tsne_knn_acc").Should().Be("t-SNE k-NN accuracy");
        ValueDisplay.Value("best_test_accuracy", 0.8091, record, requirements).Should().Be(ValueFormat.Percent.Measured(0.8091));
        ValueDisplay.Value("final_train_accuracy", 0.75, record, requirements).Should().Be("75.00%");
        ValueDisplay.Value("train_test_gap", -0.078, record, requirements).Should().Be("-7.80 points");
        ValueDisplay.Value("flip_is_mirror", 1, record, requirements).Should().Be("holds");
        ValueDisplay.Value("parameters", 1199882, record, requirements).Should().Be("1,199,882");

        PdfTools.Require();
        var task = new FakeTask("ex99", "T1", "Values", requirements);
        var dir = PdfTools.TempDir("values");
        var pdf = AssignmentReport.Write(new FakeAssignment([task]), _ => (record, dir), Ctx, Path.Combine(dir, "values.pdf")).PdfPath;
        var text = Flat(PdfTools.Text(pdf));
        text.Should().Contain("Best test accuracy").And.Contain("Flip is mirror").And.Contain("75.00%").And.Contain("-7.80 points")
            .And.NotContain("best_test_accuracy").And.NotContain(" 0.8091");
    }

    [Test]
    public void A_negative_train_test_gap_is_explained()
    {
        var text = Harness.Tasks.Ex08.Q1_3Augmentation.GapObservation(-0.078, 0.012);
        text.Should().Contain("-7.80 points with augmentation").And.Contain("training accuracy is below test accuracy")
            .And.Contain("dropout");
        Harness.Tasks.Ex08.Q1_3Augmentation.GapObservation(0.02, 0.05).Should().NotContain("negative");
    }

    [Test]
    public void Inline_commands_are_set_in_the_monospace_face()
    {
        PdfTools.Require();
        var pdf = Path.Combine(PdfTools.TempDir("mono"), "mono.pdf");
        new ReportDocument(Settings).Paragraph("Rebuild it with `harness report --assignment ex08` and compare.").Save(pdf);
        PdfTools.Fonts(pdf).Select(f => f.Name).Should().Contain(n => n.Contains("Mono"), "the command is set in Liberation Mono");
        var words = PdfTools.Words(pdf);
        words.Select(w => w.Word).Should().ContainInOrder("Rebuild", "harness", "report", "--assignment", "ex08", "and").And.NotContain(w => w.Contains('`'));
    }

    [Test]
    public void On_a_fresh_machine_the_shipped_Liberation_Sans_sets_an_Arial_brief()
    {
        PdfTools.Require();
        var fresh = new FontLibrary(Installed: _ => false);
        using (var fonts = FontSet.Resolve("Arial", fresh))
        {
            fonts.Family.Should().Be("Liberation Sans");
            fonts.Source.Should().Be("shipped");
            fonts.MetricCompatibleWithRequest.Should().BeTrue();
        }
        var result = ArialReport(fresh, "fresh");
        var row = result.Grades.Single(g => g.Requirement.Id == "font");
        row.Verdict.Outcome.Should().Be(Outcome.Pass);
        row.Verdict.Measured.Should().Be("Liberation Sans 11 pt");
        PdfTools.Fonts(result.PdfPath).Select(f => f.Name).Should().OnlyContain(n => n.Contains("LiberationSans") || n.Contains("LiberationMono"));
    }

    [Test]
    public void Without_a_metric_compatible_font_the_font_row_fails_visibly()
    {
        PdfTools.Require();
        if (FontLibrary.Default.SourceOf("DejaVu Sans") is null) Assert.Ignore("DejaVu Sans is not installed: nothing to fall back to");
        // A machine with neither Arial nor Liberation (and the harness's fonts/ folder removed): only DejaVu Sans is left.
        var bare = new FontLibrary(Installed: f => f.StartsWith("DejaVu", StringComparison.OrdinalIgnoreCase), BundledFolder: PdfTools.TempDir("no-fonts"));
        var result = ArialReport(bare, "bare");
        var row = result.Grades.Single(g => g.Requirement.Id == "font");
        row.Verdict.Outcome.Should().Be(Outcome.Fail);
        row.Verdict.Detail.Should().Contain("fonts-liberation2");
        result.PointsEarned.Should().BeLessThan(result.PointsPossible);
        var text = Flat(PdfTools.Text(result.PdfPath));
        text.Should().Contain("not metric-compatible").And.Contain("DejaVu Sans 11 pt");
    }

    [Test]
    public void An_all_assignments_report_removes_a_stale_single_report_results_json()
    {
        var dir = PdfTools.TempDir("stale");
        var stale = Path.Combine(dir, "results.json");
        File.WriteAllText(stale, "{ \"score\": 3, \"max_score\": 5, \"tests\": [] }");
        var unrelated = Path.Combine(dir, "ex08.results.json");
        File.WriteAllText(unrelated, "{ \"score\": 3, \"max_score\": 5, \"tests\": [] }");
        ReportSet.RemoveStaleResults(dir);
        File.Exists(stale).Should().BeFalse();
        File.Exists(unrelated).Should().BeTrue();
    }

    static readonly ReportContext Ctx = new("smoke", 42, "cpu", "0123456789abcdef", "0.107.0", "2.10.0",
        new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), "harness");

    static ReportResult ArialReport(FontLibrary fonts, string name)
    {
        var task = new FakeTask("ex99", "T1", "A task", [Requirement.Exactly("params", "The number of parameters", 1, "parameters", 54410)]);
        var record = SampleData.Record("ex99", "T1", new Dictionary<string, double> { ["parameters"] = 54410 });
        var dir = PdfTools.TempDir("font-" + name);
        var style = new ReportStyle(FontFamily: "Arial", FontSize: 11f, FontRequired: true);
        return AssignmentReport.Write(new FakeAssignment([task], style), _ => (record, dir), Ctx with { Fonts = fonts }, Path.Combine(dir, name + ".pdf"));
    }
}
