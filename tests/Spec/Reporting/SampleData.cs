using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Requirements;

namespace Harness.Spec.Reporting;

/// <summary>Synthetic figures, records and a tiny assignment for the reporting specs.</summary>
static class SampleData
{
    public static IReadOnlyList<FigureSpec> AllFigureKinds()
    {
        var epochs = Enumerable.Range(1, 12).Select(i => (double)i).ToArray();
        var classes = new[] { "T-shirt", "Trouser", "Pullover", "Dress" };
        var rnd = new Random(7);
        var n = 200;
        var cls = Enumerable.Range(0, n).Select(i => i % 4).ToArray();
        return new FigureSpec[]
        {
            new LineChartSpec("Loss", "epoch", "loss", new[]
            {
                new LineSeries("train", epochs, epochs.Select(e => 2.0 / e).ToArray()),
                new LineSeries("test", epochs, epochs.Select(e => 2.2 / e + 0.05).ToArray()),
            }),
            new LineChartSpec("Loss (log)", "epoch", "loss", new[] { new LineSeries("train", epochs, epochs.Select(e => Math.Pow(10, -e / 4)).ToArray()) }, LogY: true),
            new HeatmapSpec("Confusion matrix", Enumerable.Range(0, 4).Select(r => Enumerable.Range(0, 4).Select(c => r == c ? 90.0 + r : 3.0 * ((r + c) % 3)).ToArray()).ToArray(),
                classes, classes, "predicted", "true"),
            new ImageGridSpec("Samples", 8, 8, 1, 4, Enumerable.Range(0, 8).Select(i =>
                new GridImage(classes[i % 4], Enumerable.Range(0, 64).Select(p => (float)((p + i) % 8) / 7f).ToArray())).ToList()),
            new ImageGridSpec("RGB samples", 6, 6, 3, 3, Enumerable.Range(0, 3).Select(i =>
                new GridImage($"rgb {i}", Enumerable.Range(0, 108).Select(p => (float)(p % 17 - 3)).ToArray())).ToList(), Normalize: true),
            new ScatterSpec("PCA", "PC 1", "PC 2",
                cls.Select(c => (float)(c * 2 + rnd.NextDouble())).ToArray(), cls.Select(c => (float)(c % 2 + rnd.NextDouble())).ToArray(), cls, classes),
            new BarChartSpec("Per-class accuracy", "class", "accuracy", classes, new[]
            {
                new BarSeries("model A", new[] { 0.9, 0.95, 0.8, 0.85 }),
                new BarSeries("model B", new[] { 0.88, 0.97, 0.75, 0.9 }),
            }),
            new RegionMapSpec("Decision regions", -1, 1, -1, 1,
                Enumerable.Range(0, 40).Select(r => Enumerable.Range(0, 40).Select(c => (double)((r > 20 ? 1 : 0) + (c > 20 ? 2 : 0))).ToArray()).ToArray(),
                new[] { new[] { new[] { -0.5, -0.5 }, new[] { 0.5, -0.5 }, new[] { 0, 0.5 } } }),
        };
    }

    public static RunRecord Record(string assignment, string task, IReadOnlyDictionary<string, double> values, IReadOnlyList<FigureRef>? figures = null) => new()
    {
        Key = new RunKey(assignment, task, Profile.Smoke, 42, "cpu", "abc123"),
        Title = task,
        Settings = new Dictionary<string, string> { ["epochs"] = "3", ["batch size"] = "64", ["learning rate"] = "0.001" },
        Values = values,
        Series = new Dictionary<string, double[]> { ["test_accuracy"] = new[] { 0.5, 0.7, 0.8 } },
        Tables = new[]
        {
            new TableData("arch", "Architecture of the network.", new[] { "Layer", "Output shape", "Parameters" },
                new[] { new[] { "conv1", "[32, 26, 26]", "320" }, new[] { "fc", "[10]", "54,090" } }),
        },
        Figures = figures ?? Array.Empty<FigureRef>(),
        Observations = new[] { "The test accuracy rises quickly during the first epoch and then levels off.", "Dropout narrows the gap between training and test loss." },
        Artifacts = new Dictionary<string, string>(),
        Environment = new EnvironmentInfo("cpu", "0.107.0", "2.10.0", "deadbeef", "test-machine", 2),
        Timing = new TimingInfo(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(3), 3, new Dictionary<string, double>()),
    };

    /// <summary>Writes every figure kind's JSON into folder/figures and returns the refs.</summary>
    public static IReadOnlyList<FigureRef> WriteFigures(string folder)
    {
        var refs = new List<FigureRef>();
        var i = 0;
        foreach (var spec in AllFigureKinds())
        {
            var file = Path.Combine("figures", $"f{++i}.json");
            RecordJson.WriteAtomic(Path.Combine(folder, file), RecordJson.Serialize(spec));
            refs.Add(new FigureRef($"f{i}", $"{spec.Title} of the synthetic run.", file));
        }
        return refs;
    }
}

sealed class FakeTask(string assignment, string id, string title, IReadOnlyList<Requirement> requirements) : TaskDefinition<FakeTask.Settings_>
{
    public sealed record Settings_(int Epochs);
    public override string Assignment => assignment;
    public override string Id => id;
    public override string Title => title;
    public override string SeedText => $"Train the network of {id} and report its accuracy, with a confusion matrix and learning curves.";
    protected override IEnumerable<Requirement> DeclareRequirements() => requirements;
    public override Settings_ Settings(Profile profile) => new(Epochs: 3);
    protected override void Run(RunContext context, Settings_ settings) => throw new NotSupportedException("fake task");
}

sealed class FakeAssignment(IReadOnlyList<TaskDefinition> tasks, ReportStyle? style = null) : IAssignment
{
    public string Id => "ex99";
    public string Title => "Synthetic assignment";
    public string Course => "CM99999 Deep Learning";
    public string Description => "A made-up assignment that exercises the report engine.";
    public ReportStyle Style { get; } = style ?? new ReportStyle(WordLimit: 500);
    public IReadOnlyList<TaskDefinition> Tasks => tasks;
}
