using FluentAssertions;
using Harness.Core.Reporting.Figures;
using NUnit.Framework;
using SkiaSharp;

namespace Harness.Spec.Reporting;

[TestFixture, Property("Area", "Reporting")]
public class FigureExportSpec
{
    [Test]
    public void Every_figure_kind_renders_to_png_and_svg()
    {
        var dir = PdfTools.TempDir("figures");
        var i = 0;
        foreach (var spec in SampleData.AllFigureKinds())
        {
            var basePath = Path.Combine(dir, $"{++i}-{spec.GetType().Name}");
            FigureExport.SavePngAndSvg(spec, basePath);
            using (var bmp = SKBitmap.Decode(basePath + ".png"))
            {
                bmp.Should().NotBeNull();
                bmp.Width.Should().BeGreaterThan(500);
                bmp.Height.Should().BeGreaterThan(200);
                // not a blank image: some dark pixels
                Enumerable.Range(0, 400).Select(k => bmp.GetPixel(k * 7919 % bmp.Width, k * 104729 % bmp.Height))
                    .Concat(Enumerable.Range(0, 400).Select(k => bmp.GetPixel(bmp.Width / 2, k * bmp.Height / 400)))
                    .Should().Contain(c => c.Red < 200 || c.Green < 200 || c.Blue < 200, spec.GetType().Name);
            }
            var svg = File.ReadAllText(basePath + ".svg");
            svg.Should().Contain("<svg").And.Contain("</svg>");
        }
        Directory.GetFiles(dir).Should().HaveCount(2 * i).And.OnlyContain(f => !f.Contains(".tmp-"));
    }

    [Test]
    public void A_scatter_of_tens_of_thousands_of_points_stays_small_in_a_pdf()
    {
        // 60,000 t-SNE points as vector markers made a 10 MB page; above the threshold they are drawn as a raster.
        var rnd = new Random(3);
        const int n = 30_000;
        var cls = Enumerable.Range(0, n).Select(i => i % 10).ToArray();
        var spec = new Harness.Core.Records.ScatterSpec("t-SNE", "x", "y",
            cls.Select(c => (float)(c * 3 + rnd.NextDouble() * 4)).ToArray(), cls.Select(c => (float)(c % 3 + rnd.NextDouble() * 2)).ToArray(),
            cls, Enumerable.Range(0, 10).Select(c => $"class {c}").ToArray());
        var path = Path.Combine(PdfTools.TempDir("scatter"), "scatter.pdf");
        using (var stream = File.Create(path))
        using (var doc = SKDocument.CreatePdf(stream))
        {
            var canvas = doc.BeginPage(595, 842);
            FigureRenderer.Draw(spec, canvas, new SKRect(50, 50, 545, 50 + 495 * FigureRenderer.Aspect(spec)));
            doc.EndPage();
            doc.Close();
        }
        n.Should().BeGreaterThan(FigureRenderer.RasterPointThreshold);
        new FileInfo(path).Length.Should().BeLessThan(3_000_000);
    }

    [Test]
    public void Every_figure_kind_has_a_sane_aspect()
    {
        foreach (var spec in SampleData.AllFigureKinds())
            FigureRenderer.Aspect(spec).Should().BeInRange(0.2f, 2f, spec.GetType().Name);
    }
}
