using SkiaSharp;

namespace Harness.Core.Reporting.Document;

/// <summary>
/// A table with a numbered caption above, a bold header row and wrapping cells. Splits between rows across
/// pages, repeating the header (and a "(continued)" caption) on each page; a single row taller than a whole page
/// is split between its lines.
/// </summary>
public sealed class TableBlock : Block
{
    readonly IReadOnlyList<TableColumn> columns;
    readonly IReadOnlyList<IReadOnlyList<TableCell>> rows;
    readonly int startRow;
    /// <summary>Lines of the first row already placed on an earlier page (that row was taller than a page).</summary>
    readonly int startLine;

    public TableBlock(IReadOnlyList<TableColumn> columns, IReadOnlyList<IReadOnlyList<TableCell>> rows, string? caption = null, string? label = null, int startRow = 0)
        : this(columns, rows, caption, label, startRow, 0) { }

    TableBlock(IReadOnlyList<TableColumn> columns, IReadOnlyList<IReadOnlyList<TableCell>> rows, string? caption, string? label, int startRow, int startLine)
    {
        if (columns.Count == 0) throw new ArgumentException("a table needs at least one column", nameof(columns));
        this.columns = columns; this.rows = rows; this.startRow = startRow; this.startLine = startLine;
        Caption = caption; Label = label;
    }

    public IReadOnlyList<TableColumn> Columns => columns;
    public IReadOnlyList<IReadOnlyList<TableCell>> Rows => rows;

    /// <summary>Caption text without its label.</summary>
    public string? Caption { get; }
    /// <summary>"Table 3", assigned when the table is added to a document.</summary>
    public string? Label { get; }
    /// <summary>Font size relative to the body.</summary>
    public float Scale { get; init; } = 0.9f;

    static readonly SKColor HeaderShade = new(0xE8, 0xEE, 0xF4), Zebra = new(0xF6, 0xF7, 0xF9), Rule = new(0x55, 0x55, 0x55);

    public override LayoutResult Layout(LayoutContext ctx, float width, float available, bool atPageTop)
    {
        var style = ctx.Body.WithSize(ctx.Settings.FontSize * Scale);
        var widths = TableGeometry.ColumnWidths(columns, rows, ctx.Fonts, style, width);
        var (ascent, lineHeight) = ctx.Fonts.LineMetrics(style, 1.18f);

        var captionText = Label is null ? Caption : startRow == 0 && startLine == 0 ? $"{Label}: {Caption}" : $"{Label} (continued)";
        var captionStyle = ctx.Body.WithSize(ctx.Settings.FontSize * 0.95f);
        var (capAscent, capLineHeight) = ctx.Fonts.LineMetrics(captionStyle, 1.2f);
        IReadOnlyList<TextLine> captionLines = captionText is null ? [] : TextLayout.Wrap(captionText, captionStyle, ctx.Fonts, width, TextAlign.Left);
        var captionHeight = captionLines.Count * capLineHeight + (captionLines.Count > 0 ? 3 : 0);

        var header = Cells(columns.Select(c => new TableCell(c.Header, Bold: true)).ToList(), widths, style, ctx.Fonts);
        var headerHeight = Height(header, lineHeight);
        var used = captionHeight + headerHeight;
        var placed = new List<(IReadOnlyList<IReadOnlyList<TextLine>> Cells, IReadOnlyList<TableCell> Row, float Height)>();
        int? splitAfterLine = null;
        for (var r = startRow; r < rows.Count; r++)
        {
            var cells = Cells(rows[r], widths, style, ctx.Fonts);
            if (r == startRow && startLine > 0) cells = cells.Select(c => (IReadOnlyList<TextLine>)c.Skip(startLine).ToList()).ToList();
            var h = Height(cells, lineHeight);
            if (used + h > available + 0.01f && atPageTop && placed.Count == 0)
            {
                // Taller than a whole page: place the lines that fit, the rest continues on the next page.
                var fit = Math.Max(1, (int)((available - used - 2 * TableGeometry.PadY) / lineHeight));
                if (fit < cells.Max(c => c.Count))
                {
                    cells = cells.Select(c => (IReadOnlyList<TextLine>)c.Take(fit).ToList()).ToList();
                    h = Height(cells, lineHeight);
                    splitAfterLine = startLine + fit; // placed.Count == 0, so r == startRow
                    placed.Add((cells, rows[r], h));
                    used += h;
                    break;
                }
            }
            if (used + h > available + 0.01f && !(atPageTop && placed.Count == 0)) break;
            placed.Add((cells, rows[r], h));
            used += h;
        }
        if (placed.Count == 0 && rows.Count > startRow) return LayoutResult.Nothing;
        var remainingRows = rows.Count - startRow;
        if (placed.Count < remainingRows && splitAfterLine is null)
        {
            // A short table is moved whole rather than split: a page of it and a stub on the next read worse than a gap.
            if (!atPageTop && captionHeight + headerHeight + RowsHeight(startRow, widths, style, ctx.Fonts, lineHeight) <= ctx.Settings.ContentHeight * MoveWholeShare)
                return LayoutResult.Nothing;
            // No orphans: each part of a split table holds at least MinRowsPerPart rows (its last rows are never alone overleaf).
            while (placed.Count > MinRowsPerPart && remainingRows - placed.Count < MinRowsPerPart) { used -= placed[^1].Height; placed.RemoveAt(placed.Count - 1); }
            if (placed.Count < MinRowsPerPart && !atPageTop) return LayoutResult.Nothing;
        }
        if (used > available && !atPageTop) return LayoutResult.Nothing;

        var first = startRow;
        var fragment = new Fragment(used + 1, (dc, x, y) =>
        {
            var canvas = dc.Canvas;
            for (var i = 0; i < captionLines.Count; i++)
                foreach (var w in captionLines[i].Words)
                    dc.Word(w, x + w.X, y + i * capLineHeight + capAscent, captionStyle);
            var top = y + captionHeight;
            using var fill = new SKPaint { Style = SKPaintStyle.Fill };
            using var rule = new SKPaint { Color = Rule, IsStroke = true, StrokeWidth = 0.8f };
            using var thin = new SKPaint { Color = Rule, IsStroke = true, StrokeWidth = 0.4f };
            fill.Color = HeaderShade;
            canvas.DrawRect(x, top, width, headerHeight, fill);
            DrawRow(dc, header, columns.Select(c => new TableCell(c.Header, Bold: true)).ToList(), x, top, widths, style, ascent, lineHeight);
            canvas.DrawLine(x, top, x + width, top, rule);
            top += headerHeight;
            canvas.DrawLine(x, top, x + width, top, thin);
            for (var i = 0; i < placed.Count; i++)
            {
                var (cells, row, h) = placed[i];
                if ((first + i) % 2 == 1) { fill.Color = Zebra; canvas.DrawRect(x, top, width, h, fill); }
                var cx = x;
                for (var c = 0; c < widths.Length; c++)
                {
                    if (c < row.Count && row[c].Background is { } bg) { fill.Color = bg; canvas.DrawRect(cx, top, widths[c], h, fill); }
                    cx += widths[c];
                }
                DrawRow(dc, cells, row, x, top, widths, style, ascent, lineHeight);
                top += h;
            }
            canvas.DrawLine(x, top, x + width, top, rule);
        });
        if (splitAfterLine is { } line)
            return new LayoutResult(fragment, new TableBlock(columns, rows, Caption, Label, startRow, line) { Scale = Scale, SpaceAfter = SpaceAfter });
        var next = startRow + placed.Count;
        return new LayoutResult(fragment, next < rows.Count
            ? new TableBlock(columns, rows, Caption, Label, next) { Scale = Scale, SpaceAfter = SpaceAfter }
            : null);
    }

    /// <summary>Fewest rows either part of a split table holds (unless the table is longer than a page and has fewer left).</summary>
    public const int MinRowsPerPart = 4;

    /// <summary>Tables (what is left of them) up to this share of a page are moved whole to the next page instead of split.</summary>
    public const float MoveWholeShare = 1f / 3;

    float RowsHeight(int from, float[] widths, TextStyle style, FontSet fonts, float lineHeight)
    {
        float h = 0;
        for (var r = from; r < rows.Count; r++) h += Height(Cells(rows[r], widths, style, fonts), lineHeight);
        return h;
    }

    List<IReadOnlyList<TextLine>> Cells(IReadOnlyList<TableCell> row, float[] widths, TextStyle style, FontSet fonts)
    {
        var result = new List<IReadOnlyList<TextLine>>(widths.Length);
        for (var c = 0; c < widths.Length; c++)
        {
            var cell = c < row.Count ? row[c] : new TableCell("");
            var align = columns[c].Align == TextAlign.Justify ? TextAlign.Left : columns[c].Align;
            result.Add(TextLayout.Wrap(cell.Text, cell.Bold ? style.WithBold() : style, fonts, widths[c] - 2 * TableGeometry.PadX, align));
        }
        return result;
    }

    static float Height(List<IReadOnlyList<TextLine>> cells, float lineHeight) =>
        cells.Max(c => Math.Max(1, c.Count)) * lineHeight + 2 * TableGeometry.PadY;

    static void DrawRow(DrawContext dc, IReadOnlyList<IReadOnlyList<TextLine>> cells, IReadOnlyList<TableCell> row, float x, float top,
        float[] widths, TextStyle style, float ascent, float lineHeight)
    {
        var cx = x;
        for (var c = 0; c < widths.Length; c++)
        {
            var cell = c < row.Count ? row[c] : new TableCell("");
            var s = (cell.Bold ? style.WithBold() : style) with { Color = cell.Color };
            for (var i = 0; i < cells[c].Count; i++)
                foreach (var w in cells[c][i].Words)
                    dc.Word(w, cx + TableGeometry.PadX + w.X, top + TableGeometry.PadY + i * lineHeight + ascent, s);
            cx += widths[c];
        }
    }
}
