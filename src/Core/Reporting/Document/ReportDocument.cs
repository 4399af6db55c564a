using System.Diagnostics;
using Harness.Core.Records;
using Harness.Core.Reporting.Figures;
using SkiaSharp;

namespace Harness.Core.Reporting.Document;

/// <summary>What saving a document produced.</summary>
public sealed record DocumentStats(string Path, int Pages, long Bytes, int WordCount, string FontFamily, TimeSpan Elapsed);

/// <summary>
/// A document built fluently from blocks (headings, paragraphs, lists, tables, figures, page breaks) and
/// saved as a paginated A4 PDF. Section, figure and table numbers are assigned as blocks are added.
/// <code>
/// new ReportDocument(settings).Heading("Results").Paragraph("…").Table(t => t.Column("Layer").Row("conv1"), "Layers").Save(path);
/// </code>
/// </summary>
public sealed class ReportDocument
{
    readonly List<Block> blocks = new();
    readonly List<HeadingBlock> headings = new();
    readonly int[] sections = new int[4];
    int figures, tables;

    public ReportDocument(DocumentSettings settings) => Settings = settings;

    public DocumentSettings Settings { get; }
    public IReadOnlyList<Block> Blocks => blocks;
    public int FigureCount => figures;
    public int TableCount => tables;
    /// <summary>While true, headings, paragraphs and list items added count towards <see cref="WordCount"/>.</summary>
    public bool Counting { get; private set; }
    /// <summary>Words of the counted blocks (see <see cref="TextLayout.CountWords"/>).</summary>
    public int WordCount => blocks.Sum(b => b.CountedWords);
    float Size => Settings.FontSize;

    public ReportDocument CountWords(bool on) { Counting = on; return this; }

    public ReportDocument Add(Block block, bool countable = false)
    {
        if (countable && Counting) block.CountedWords = TextLayout.CountWords(block.PlainText);
        blocks.Add(block);
        return this;
    }

    /// <summary>A heading; numbered "2", "2.1", "2.1.3" by level unless <paramref name="numbered"/> is false.</summary>
    public ReportDocument Heading(string text, int level = 1, bool numbered = true)
    {
        level = Math.Clamp(level, 1, 3);
        var number = "";
        if (numbered)
        {
            sections[level]++;
            for (var l = level + 1; l < sections.Length; l++) sections[l] = 0;
            number = string.Join(".", Enumerable.Range(1, level).Select(l => sections[l]));
        }
        var h = new HeadingBlock(number, text, level, $"sec-{headings.Count + 1}")
        {
            SpaceBefore = Size * (level == 1 ? 1.6f : 1.1f),
            SpaceAfter = Size * 0.55f,
        };
        headings.Add(h);
        return Add(h, countable: true);
    }

    public ReportDocument Paragraph(string text, TextStyle? style = null, TextAlign? align = null) =>
        Add(new ParagraphBlock(text, style, align) { SpaceAfter = Size * 0.6f }, countable: true);

    /// <summary>A paragraph whose text is computed when the document is laid out (never counted).</summary>
    public ReportDocument Paragraph(Func<string> text, TextStyle? style = null, TextAlign? align = null) =>
        Add(new ParagraphBlock(text, style, align) { SpaceAfter = Size * 0.6f });

    /// <summary>An indented italic quotation with a bar on the left (not counted: it is someone else's text).</summary>
    public ReportDocument Quote(string text, bool keepWithNext = false) =>
        Add(new ParagraphBlock(text, new TextStyle(Size * 0.95f, Italic: true, Color: new SKColor(0x40, 0x40, 0x40)), TextAlign.Left)
        { Indent = Size * 1.4f, Bar = Settings.AccentColor.WithAlpha(120), SpaceAfter = Size * 0.8f, Keep = keepWithNext });

    /// <param name="align">null: the body's alignment; Left for items with long unbreakable words (paths), which justified lines would gap</param>
    public ReportDocument Bullets(IEnumerable<string> items, bool numbered = false, TextAlign? align = null)
    {
        foreach (var item in BulletList.Items(items, Size, numbered, Size * 0.6f, align)) Add(item, countable: true);
        return this;
    }

    /// <summary>A table numbered "Table n" with its caption above.</summary>
    public ReportDocument Table(Action<TableBuilder> build, string? caption = null)
    {
        var b = new TableBuilder();
        build(b);
        return Table(b.Columns, b.Rows, caption);
    }

    public ReportDocument Table(IReadOnlyList<TableColumn> columns, IReadOnlyList<IReadOnlyList<TableCell>> rows, string? caption = null)
    {
        string? label = caption is null ? null : $"Table {++tables}";
        return Add(new TableBlock(columns, rows, caption, label) { SpaceBefore = Size * 0.4f, SpaceAfter = Size * 1.1f });
    }

    /// <summary>A drawing (vector) numbered "Figure n" with its caption below.</summary>
    public ReportDocument Figure(Action<SKCanvas, SKRect> draw, float aspect, string? caption, float widthFraction = 1f)
    {
        string? label = caption is null ? null : $"Figure {++figures}";
        return Add(new FigureBlock(draw, aspect, caption, label, widthFraction) { SpaceBefore = Size * 0.5f, SpaceAfter = Size * 1.1f });
    }

    /// <summary>A <see cref="FigureSpec"/> drawn as vector graphics with the document's font.</summary>
    public ReportDocument Figure(FigureSpec spec, string? caption, string fontFamily, float? widthFraction = null)
    {
        var aspect = FigureRenderer.Aspect(spec, fontFamily);
        var fraction = widthFraction ?? (spec is ImageGridSpec g
            ? ImageGridPainter.WidthFraction(g.Images.Count, g.Columns, Settings.ContentWidth)
            : aspect > 0.75f ? 0.8f : 0.92f);
        return Figure((canvas, rect) => FigureRenderer.Draw(spec, canvas, rect, fontFamily), aspect, caption, fraction);
    }

    public ReportDocument PageBreak() => Add(new PageBreakBlock());
    public ReportDocument Space(float points) => Add(new SpacerBlock(points));
    /// <summary>A clickable table of contents of all headings up to <paramref name="maxLevel"/> (including ones added later).</summary>
    public ReportDocument TableOfContents(int maxLevel = 2) => Add(new TocBlock(headings, maxLevel) { SpaceAfter = Size });

    /// <summary>Lays out and writes the PDF (atomically).</summary>
    public DocumentStats Save(string path)
    {
        var sw = Stopwatch.StartNew();
        using var fonts = FontSet.Resolve(Settings.FontFamily, Settings.Fonts);
        var ctx = new LayoutContext(Settings, fonts);
        var pagination = Paginator.Paginate(blocks, ctx);
        var bytes = PdfWriter.Write(path, pagination, ctx);
        return new DocumentStats(path, pagination.Pages.Count, bytes, WordCount, fonts.Family, sw.Elapsed);
    }

    /// <summary>Lays the document out without writing it (page of each heading anchor, page count).</summary>
    public Pagination Layout()
    {
        using var fonts = FontSet.Resolve(Settings.FontFamily, Settings.Fonts);
        return Paginator.Paginate(blocks, new LayoutContext(Settings, fonts));
    }
}

/// <summary>Collects a table's columns and rows for <see cref="ReportDocument.Table(Action{TableBuilder}, string?)"/>.</summary>
public sealed class TableBuilder
{
    public List<TableColumn> Columns { get; } = new();
    public List<IReadOnlyList<TableCell>> Rows { get; } = new();

    public TableBuilder Column(string header, TextAlign align = TextAlign.Left) { Columns.Add(new TableColumn(header, align)); return this; }
    public TableBuilder Row(params TableCell[] cells) { Rows.Add(cells); return this; }
    public TableBuilder Row(IEnumerable<string> cells) { Rows.Add(cells.Select(c => new TableCell(c)).ToList()); return this; }
}
