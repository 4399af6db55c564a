using Harness.Core.Records;
using SkiaSharp;

namespace Harness.Core.Reporting.Figures;

/// <summary>Writes a figure as PNG and SVG beside its JSON spec (basePath + ".png"/".svg"), each atomically.</summary>
public static class FigureExport
{
    /// <summary>Width of the exported figure in pixels (SVG units); PNGs are rendered at twice that for sharpness.</summary>
    public const int Width = 800;

    /// <summary>Writes the PNG and SVG when either is missing or older than the spec; a read-only run folder is left as it is.</summary>
    public static void EnsurePngAndSvg(FigureSpec spec, string basePath, string specFile, string fontFamily = "Liberation Sans")
    {
        var specTime = File.GetLastWriteTimeUtc(specFile);
        if (File.Exists(basePath + ".png") && File.Exists(basePath + ".svg")
            && File.GetLastWriteTimeUtc(basePath + ".png") >= specTime && File.GetLastWriteTimeUtc(basePath + ".svg") >= specTime) return;
        try { SavePngAndSvg(spec, basePath, fontFamily); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    public static void SavePngAndSvg(FigureSpec spec, string basePath, string fontFamily = "Liberation Sans")
    {
        var aspect = FigureRenderer.Aspect(spec, fontFamily);
        var width = spec is ImageGridSpec g ? Math.Clamp(Math.Min(g.Columns, g.Images.Count) * 110, 360, Width) : Width;
        var titleExtra = spec is ImageGridSpec ? 40 : 30;
        var height = (int)Math.Round(width * aspect) + titleExtra;
        var rect = SKRect.Create(0, 0, width, height);

        var png = basePath + ".png";
        var svg = basePath + ".svg";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(png))!);

        const int scale = 2;
        using (var surface = SKSurface.Create(new SKImageInfo(width * scale, height * scale, SKColorType.Rgba8888, SKAlphaType.Premul)))
        {
            surface.Canvas.Clear(SKColors.White);
            surface.Canvas.Scale(scale);
            FigureRenderer.Draw(spec, surface.Canvas, rect, fontFamily, showTitle: true);
            using var image = surface.Snapshot();
            using var data = image.Encode(SKEncodedImageFormat.Png, 100);
            WriteAtomic(png, s => data.SaveTo(s));
        }
        WriteAtomic(svg, s =>
        {
            using var canvas = SKSvgCanvas.Create(rect, s);
            using var bg = new SKPaint { Color = SKColors.White };
            canvas.DrawRect(rect, bg);
            FigureRenderer.Draw(spec, canvas, rect, fontFamily, showTitle: true);
        });
    }

    static void WriteAtomic(string path, Action<Stream> write)
    {
        var tmp = path + $".tmp-{Environment.ProcessId}";
        try
        {
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write)) write(fs);
            File.Move(tmp, path, overwrite: true);
        }
        finally { if (File.Exists(tmp)) File.Delete(tmp); }
    }
}
