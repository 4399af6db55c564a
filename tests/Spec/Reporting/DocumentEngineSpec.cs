using System.Text.RegularExpressions;
using FluentAssertions;
using Harness.Core.Reporting.Document;
using NUnit.Framework;

namespace Harness.Spec.Reporting;

[TestFixture, Property("Area", "Reporting")]
public class DocumentEngineSpec
{
    static readonly DocumentSettings Settings = new() { Title = "Engine spec", Author = "spec", Created = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), HeaderLeft = "Engine spec" };

    static string LongText(int words) => string.Join(" ", Enumerable.Range(1, words).Select(i => $"w{i:0000}" + (i % 7 == 0 ? "-extraordinarily" : "")));

    [Test]
    public void A_long_paragraph_wraps_within_the_margins_and_keeps_every_word_in_order()
    {
        PdfTools.Require();
        var pdf = Path.Combine(PdfTools.TempDir("wrap"), "wrap.pdf");
        new ReportDocument(Settings).Paragraph(LongText(900)).Save(pdf);

        var words = PdfTools.Words(pdf);
        var tokens = words.SelectMany(w => Regex.Matches(w.Word, @"w\d{4}").Select(m => m.Value)).ToList();
        tokens.Should().Equal(Enumerable.Range(1, 900).Select(i => $"w{i:0000}"));
        var body = words.Where(w => w.Word.StartsWith('w')).ToList();
        body.Should().OnlyContain(w => w.XMin >= Settings.MarginLeft - 0.5 && w.XMax <= Settings.PageWidth - Settings.MarginRight + 0.5);
        PdfTools.Pages(pdf).Should().BeGreaterThan(1, "900 words do not fit on one page");
    }

    [Test]
    public void An_interrupted_save_leaves_the_previous_pdf_whole_and_no_temporary_file()
    {
        var dir = PdfTools.TempDir("atomic");
        var pdf = Path.Combine(dir, "report.pdf");
        new ReportDocument(Settings).Paragraph("The first, complete version.").Save(pdf);
        var before = File.ReadAllBytes(pdf);

        var broken = new ReportDocument(Settings).Paragraph("A second version whose figure fails half-way through drawing.")
            .Figure((_, _) => throw new IOException("disk vanished"), 0.5f, "A figure that cannot be drawn.");
        FluentActions.Invoking(() => broken.Save(pdf)).Should().Throw<IOException>().WithMessage("disk vanished");

        File.ReadAllBytes(pdf).Should().Equal(before);
        Directory.GetFiles(dir).Should().ContainSingle().Which.Should().Be(pdf);
    }

    [Test]
    public void A_long_table_splits_across_pages_with_the_header_repeated()
    {
        PdfTools.Require();
        var pdf = Path.Combine(PdfTools.TempDir("table"), "table.pdf");
        new ReportDocument(Settings with { TitlePage = false })
            .Table(t =>
            {
                t.Column("HeaderAlpha").Column("HeaderBeta").Column("HeaderGamma", TextAlign.Right);
                for (var i = 1; i <= 150; i++) t.Row($"row{i:000}", $"a cell that wraps because it holds a rather long description number {i}", $"{i * 7}");
            }, "A long table.")
            .Save(pdf);

        var pages = PdfTools.Pages(pdf);
        pages.Should().BeGreaterThan(2);
        for (var p = 1; p <= pages; p++)
        {
            var text = PdfTools.Text(pdf, p);
            text.Should().Contain("HeaderAlpha").And.Contain("HeaderGamma", $"page {p} holds rows, so it repeats the header");
        }
        var all = PdfTools.Text(pdf);
        var rows = Regex.Matches(all, @"row\d{3}").Select(m => m.Value).ToList();
        rows.Should().Equal(Enumerable.Range(1, 150).Select(i => $"row{i:000}"));
        all.Should().Contain("Table 1: A long table.").And.Contain("Table 1 (continued)");
    }

    [Test]
    public void A_row_taller_than_a_page_continues_on_the_next_page_above_the_footer()
    {
        PdfTools.Require();
        var pdf = Path.Combine(PdfTools.TempDir("tallrow"), "tallrow.pdf");
        var lines = string.Join("\n", Enumerable.Range(1, 150).Select(i => $"line{i:000}"));
        new ReportDocument(Settings with { TitlePage = false })
            .Table(t => { t.Column("Setting").Column("Value"); t.Row("before", "1"); t.Row("steps", lines); t.Row("after", "2"); }, "A table with one very tall row.")
            .Save(pdf);

        var words = PdfTools.Words(pdf);
        var tokens = words.Where(w => w.Word.StartsWith("line")).ToList();
        tokens.Select(w => w.Word).Should().Equal(Enumerable.Range(1, 150).Select(i => $"line{i:000}"), "every line of the tall cell is shown once, in order");
        tokens.Select(w => w.Page).Distinct().Should().HaveCountGreaterThan(1, "150 lines do not fit on one page");
        tokens.Should().OnlyContain(w => w.YMax <= Settings.PageHeight - Settings.MarginBottom + 1, "no line runs into the bottom margin and footer");
        words.Should().Contain(w => w.Word == "after");
        PdfTools.Text(pdf).Should().Contain("Table 1 (continued)");
    }

    [Test]
    public void Captions_are_numbered_in_order_and_pages_are_numbered_x_of_y()
    {
        PdfTools.Require();
        var pdf = Path.Combine(PdfTools.TempDir("captions"), "captions.pdf");
        var doc = new ReportDocument(Settings);
        void Box(SkiaSharp.SKCanvas c, SkiaSharp.SKRect r) { using var p = new SkiaSharp.SKPaint { Color = SkiaSharp.SKColors.SteelBlue }; c.DrawRect(r, p); }
        doc.Heading("First").Figure(Box, 0.5f, "first figure").Table(t => t.Column("k").Column("v").Row("a", "1"), "first table")
           .Heading("Second").Figure(Box, 0.9f, "second figure").Figure(Box, 0.9f, "third figure")
           .Table(t => t.Column("k").Column("v").Row("b", "2"), "second table");
        doc.Save(pdf);

        var text = PdfTools.Text(pdf);
        var figures = Regex.Matches(text, @"Figure (\d+): (\w+) figure").Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        figures.Should().Equal(("1", "first"), ("2", "second"), ("3", "third"));
        Regex.Matches(text, @"Table (\d+): (\w+) table").Select(m => m.Groups[1].Value).Should().Equal("1", "2");

        var pages = PdfTools.Pages(pdf);
        pages.Should().BeGreaterThan(1);
        for (var p = 1; p <= pages; p++) PdfTools.Text(pdf, p).Should().Contain($"Page {p} of {pages}");
    }

    [Test]
    public void Metadata_is_written_and_fonts_are_embedded()
    {
        PdfTools.Require();
        var pdf = Path.Combine(PdfTools.TempDir("meta"), "meta.pdf");
        var stats = new ReportDocument(Settings with { Subject = "subject line" }).Heading("Hello").Paragraph("Text with ≥ and — and ünïcödé.")
            .Bullets(["one", "two"]).Save(pdf);

        var info = PdfTools.Info(pdf);
        info["Title"].Should().Be("Engine spec");
        info["Author"].Should().Be("spec");
        info["Subject"].Should().Be("subject line");
        var fonts = PdfTools.Fonts(pdf);
        fonts.Should().NotBeEmpty();
        fonts.Should().OnlyContain(f => f.Emb == "yes", "every font is embedded");
        stats.Pages.Should().Be(1);
        stats.Bytes.Should().Be(new FileInfo(pdf).Length);
        Directory.GetFiles(Path.GetDirectoryName(pdf)!).Should().ContainSingle("the temporary file is renamed, not left behind");
        PdfTools.Text(pdf).Should().Contain("≥").And.Contain("ünïcödé");
    }

    [Test]
    public void A_heading_is_never_the_last_thing_on_a_page()
    {
        for (var filler = 20; filler < 60; filler += 3)
        {
            var doc = new ReportDocument(Settings);
            for (var s = 0; s < 6; s++) doc.Heading($"Section {s}").Paragraph(LongText(filler * (s + 1)));
            var layout = doc.Layout();
            foreach (var (anchor, page) in layout.AnchorPages)
            {
                var fragments = layout.Pages[page - 1];
                fragments[^1].Fragment.Anchor.Should().NotBe(anchor, $"heading {anchor} (filler {filler}) must be followed on its page");
            }
        }
    }

    [Test]
    public void Layout_is_deterministic_and_the_word_count_only_counts_the_counted_part()
    {
        Pagination Build(out int words)
        {
            var doc = new ReportDocument(Settings).Paragraph("not counted here").CountWords(true)
                .Heading("Counted heading").Paragraph("one two three 4").Bullets(["five six"]).Quote("quoted words are not counted")
                .Table(t => t.Column("x").Row("tables not counted"), "caption not counted").CountWords(false).Paragraph("nor here");
            words = doc.WordCount;
            return doc.Layout();
        }
        var a = Build(out var words);
        var b = Build(out _);
        words.Should().Be(2 + 4 + 2);
        a.Pages.Select(p => p.Select(f => (f.Y, f.Fragment.Height))).SelectMany(x => x)
            .Should().Equal(b.Pages.Select(p => p.Select(f => (f.Y, f.Fragment.Height))).SelectMany(x => x));
    }

    [Test]
    public void A_missing_font_family_falls_back_to_an_installed_one()
    {
        using var fonts = FontSet.Resolve("Arial");
        fonts.Family.Should().BeOneOf("Arial", "Liberation Sans", "Arimo", "DejaVu Sans");
        using var other = FontSet.Resolve("No Such Font Family 123");
        other.Family.Should().BeOneOf("Liberation Sans", "DejaVu Sans");
    }
}
