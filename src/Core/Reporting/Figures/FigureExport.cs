using Harness.Core.Records;

namespace Harness.Core.Reporting.Figures;

/// <summary>Writes a figure as PNG and SVG beside its JSON spec (basePath + ".png"/".svg").</summary>
public static class FigureExport
{
    public static void SavePngAndSvg(FigureSpec spec, string basePath)
    {
        // Rendering lands with the report engine (src/Core/Reporting); the spec JSON is already written.
        _ = spec; _ = basePath;
    }
}
