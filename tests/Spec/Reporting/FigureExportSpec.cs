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
    public void Every_figure_kind_has_a_sane_aspect()
    {
        foreach (var spec in SampleData.AllFigureKinds())
            FigureRenderer.Aspect(spec).Should().BeInRange(0.2f, 2f, spec.GetType().Name);
    }
}
