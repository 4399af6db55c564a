using SkiaSharp;

namespace Harness.Core.Reporting.Document;

/// <summary>What blocks need to measure themselves.</summary>
public sealed class LayoutContext(DocumentSettings settings, FontSet fonts)
{
    public DocumentSettings Settings { get; } = settings;
    public FontSet Fonts { get; } = fonts;
    public TextStyle Body => new(Settings.FontSize);
}

/// <summary>What fragments need to draw: the canvas, fonts, page numbers and where each anchor landed.</summary>
public sealed class DrawContext(SKCanvas canvas, LayoutContext layout, int page, int pageCount, IReadOnlyDictionary<string, int> anchorPages)
{
    public SKCanvas Canvas { get; } = canvas;
    public LayoutContext Layout { get; } = layout;
    public FontSet Fonts => Layout.Fonts;
    public DocumentSettings Settings => Layout.Settings;
    /// <summary>1-based.</summary>
    public int Page { get; } = page;
    public int PageCount { get; } = pageCount;
    public IReadOnlyDictionary<string, int> AnchorPages { get; } = anchorPages;

    public void Text(string text, float x, float baseline, TextStyle style) =>
        Fonts.Draw(Canvas, text, x, baseline, style, Settings.TextColor);

    /// <summary>Draws a laid-out word, its code spans in the monospace face.</summary>
    public void Word(PlacedWord word, float x, float baseline, TextStyle style)
    {
        if (word.Spans is null) { Text(word.Text, x, baseline, style); return; }
        foreach (var span in word.Spans)
        {
            var s = span.Code ? style.AsCode() : style;
            Text(span.Text, x, baseline, s);
            x += Fonts.Measure(span.Text, s);
        }
    }
}

/// <summary>A laid-out piece of a block, placed on one page: its height and how to draw it at a position.</summary>
public sealed class Fragment(float height, Action<DrawContext, float, float> draw, string? anchor = null)
{
    public float Height { get; } = height;
    /// <summary>Draws with the fragment's top-left corner at (x, y).</summary>
    public Action<DrawContext, float, float> Draw { get; } = draw;
    /// <summary>Named destination placed at the fragment's top; its page number is known to every fragment when drawing.</summary>
    public string? Anchor { get; } = anchor;
}

/// <summary>The result of laying out a block into the space left on a page.</summary>
/// <param name="Placed">what fits here (null: nothing fits, start a new page)</param>
/// <param name="Rest">what is left for the next page (null: the block is done)</param>
public readonly record struct LayoutResult(Fragment? Placed, Block? Rest)
{
    public static LayoutResult Nothing => new(null, null);
}

/// <summary>
/// A unit of content. <see cref="Layout"/> is pure, so the paginator may try a layout (keep-with-next) and discard it.
/// </summary>
public abstract class Block
{
    public float SpaceBefore { get; init; }
    public float SpaceAfter { get; init; }
    /// <summary>Never leave this block alone at the bottom of a page (headings, captions above tables).</summary>
    public virtual bool KeepWithNext => false;
    /// <summary>Words this block adds to the word count (0 for blocks outside the counted part).</summary>
    public int CountedWords { get; internal set; }
    /// <summary>Plain text for word counting.</summary>
    public virtual string PlainText => "";

    /// <param name="atPageTop">true when the page is empty: the block must place something, even if it overflows.</param>
    public abstract LayoutResult Layout(LayoutContext ctx, float width, float available, bool atPageTop);
}

/// <summary>Starts a new page (ignored at the top of an empty page).</summary>
public sealed class PageBreakBlock : Block
{
    public override LayoutResult Layout(LayoutContext ctx, float width, float available, bool atPageTop) =>
        new(new Fragment(0, (_, _, _) => { }), null);
}

/// <summary>Vertical space.</summary>
public sealed class SpacerBlock(float height) : Block
{
    public float Height => height;

    public override LayoutResult Layout(LayoutContext ctx, float width, float available, bool atPageTop) =>
        new(new Fragment(atPageTop ? 0 : Math.Min(height, available), (_, _, _) => { }), null);
}
