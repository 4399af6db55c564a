using System.Globalization;
using SkiaSharp;

namespace Harness.Core.Reporting.Document;

/// <summary>
/// Draws a <see cref="Pagination"/> into a PDF with SkiaSharp (fonts embedded as subsets), with running header
/// and "Page X of Y" footer. Writes to a temporary file and renames it, so readers never see half a PDF.
/// </summary>
public static class PdfWriter
{
    public static long Write(string path, Pagination pagination, LayoutContext ctx)
    {
        var s = ctx.Settings;
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + $".tmp-{Environment.ProcessId}";
        try
        {
            using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write))
            {
                var metadata = new SKDocumentPdfMetadata
                {
                    Title = s.Title,
                    Author = s.Author,
                    Subject = s.Subject,
                    Keywords = s.Keywords,
                    Creator = s.Creator,
                    Producer = "Harness report engine (SkiaSharp PDF)",
                    Creation = s.Created,
                    Modified = s.Created,
                    RasterDpi = 300,
                    EncodingQuality = 101,
                };
                using var document = SKDocument.CreatePdf(stream, metadata)
                    ?? throw new InvalidOperationException("SkiaSharp could not create a PDF document");
                var count = pagination.Pages.Count;
                for (var p = 0; p < count; p++)
                {
                    var canvas = document.BeginPage(s.PageWidth, s.PageHeight);
                    var dc = new DrawContext(canvas, ctx, p + 1, count, pagination.AnchorPages);
                    DrawFurniture(dc);
                    foreach (var placed in pagination.Pages[p])
                        placed.Fragment.Draw(dc, s.MarginLeft + placed.X, s.MarginTop + placed.Y);
                    document.EndPage();
                }
                document.Close();
            }
            File.Move(tmp, full, overwrite: true);
            return new FileInfo(full).Length;
        }
        finally { if (File.Exists(tmp)) File.Delete(tmp); }
    }

    static void DrawFurniture(DrawContext dc)
    {
        var s = dc.Settings;
        var small = new TextStyle(s.FontSize * 0.8f, Color: new SKColor(0x66, 0x66, 0x66));
        if (!(s.TitlePage && dc.Page == 1))
        {
            var baseline = s.MarginTop - 22;
            var rightWidth = dc.Fonts.Measure(s.HeaderRight, small);
            var room = s.PageWidth - s.MarginLeft - s.MarginRight - rightWidth - 12;
            dc.Text(dc.Fonts.Ellipsize(s.HeaderLeft, small, room), s.MarginLeft, baseline, small); // a long title must not run into the right-hand header
            dc.Text(s.HeaderRight, s.PageWidth - s.MarginRight - rightWidth, baseline, small);
            using var rule = new SKPaint { Color = new SKColor(0xBB, 0xBB, 0xBB), IsStroke = true, StrokeWidth = 0.5f };
            dc.Canvas.DrawLine(s.MarginLeft, baseline + 5, s.PageWidth - s.MarginRight, baseline + 5, rule);
        }
        var label = string.Format(CultureInfo.InvariantCulture, s.FooterFormat, dc.Page, dc.PageCount);
        dc.Text(label, (s.PageWidth - dc.Fonts.Measure(label, small)) / 2, s.PageHeight - s.MarginBottom + 30, small);
    }
}
