using System.Text.Json.Serialization;

namespace Harness.Core.Records;

/// <summary>
/// A figure described by its data, so that the same figure is drawn as vector graphics into the PDF and
/// exported as PNG/SVG. Stored as JSON with a "kind" discriminator.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(LineChartSpec), "line")]
[JsonDerivedType(typeof(HeatmapSpec), "heatmap")]
[JsonDerivedType(typeof(ImageGridSpec), "images")]
[JsonDerivedType(typeof(ScatterSpec), "scatter")]
[JsonDerivedType(typeof(BarChartSpec), "bar")]
[JsonDerivedType(typeof(RegionMapSpec), "regions")]
public abstract record FigureSpec(string Title);

/// <summary>Curves over a shared x axis (e.g. loss per epoch); one legend entry per series.</summary>
public sealed record LineChartSpec(string Title, string XLabel, string YLabel, IReadOnlyList<LineSeries> Series, bool LogY = false) : FigureSpec(Title);
public sealed record LineSeries(string Name, double[] X, double[] Y);

/// <summary>A matrix with row/column labels and each cell annotated (confusion matrices, pair accuracies).</summary>
public sealed record HeatmapSpec(string Title, double[][] Values, string[] RowLabels, string[] ColumnLabels,
    string XLabel, string YLabel, string CellFormat = "0") : FigureSpec(Title);

/// <summary>
/// Small images in a grid, each with a caption. Pixels are row-major, <c>Channels</c> planes of Height×Width
/// (1 = grey, 3 = RGB planes), values in [0,1] unless <c>Normalize</c> asks for per-image min–max scaling.
/// </summary>
public sealed record ImageGridSpec(string Title, int Width, int Height, int Channels, int Columns,
    IReadOnlyList<GridImage> Images, bool Normalize = false) : FigureSpec(Title);
public sealed record GridImage(string Label, float[] Pixels);

/// <summary>Points coloured by class with a legend (PCA, t-SNE).</summary>
public sealed record ScatterSpec(string Title, string XLabel, string YLabel, float[] X, float[] Y, int[] Classes, string[] ClassNames) : FigureSpec(Title);

/// <summary>Grouped bars: one group per category, one bar per series.</summary>
public sealed record BarChartSpec(string Title, string XLabel, string YLabel, string[] Categories, IReadOnlyList<BarSeries> Series) : FigureSpec(Title);
public sealed record BarSeries(string Name, double[] Values);

/// <summary>A predicted label over a regular grid of the plane, with outlines (e.g. the true polygons) on top.</summary>
public sealed record RegionMapSpec(string Title, double XMin, double XMax, double YMin, double YMax, double[][] Grid,
    IReadOnlyList<double[][]> Outlines, string XLabel = "x", string YLabel = "y") : FigureSpec(Title);
