using System.Diagnostics;
using Harness.Core.Configuration;
using Harness.Core.Data;
using Harness.Core.Records;
using Harness.Core.Reporting.Figures;
using Harness.Core.Training;
using TorchSharp;

namespace Harness.Core.Experiments;

/// <summary>
/// What a running task sees: options, device, data, progress, the records of the tasks it depends on,
/// and the builders for what it records (values, series, tables, figures, observations, artifacts).
/// </summary>
public sealed class RunContext
{
    private readonly Dictionary<string, string> _settings = new();
    private readonly Dictionary<string, double> _values = new();
    private readonly Dictionary<string, double[]> _series = new();
    private readonly List<TableData> _tables = new();
    private readonly List<FigureRef> _figures = new();
    private readonly List<string> _observations = new();
    private readonly Dictionary<string, string> _artifacts = new();
    private readonly Dictionary<string, int> _checkpointLabels = new();
    private readonly Dictionary<string, double> _sections = new();
    private readonly Func<string, (RunRecord Record, string Folder)> _dependency;

    internal RunContext(TaskDefinition task, RunKey key, HarnessOptions options, torch.Device device, string folder,
        IProgressSink progress, Func<string, (RunRecord, string)> dependency)
    {
        Task = task; Key = key; Options = options; Device = device; Folder = folder; Progress = progress;
        _dependency = dependency;
        Data = new DataSets(options, progress);
    }

    public TaskDefinition Task { get; }
    public RunKey Key { get; }
    public HarnessOptions Options { get; }
    public Profile Profile => Options.Profile;
    public bool IsFull => Options.Profile == Profile.Full;
    public int Seed => Options.Seed;
    public torch.Device Device { get; }
    /// <summary>The run's folder (being written): put artifacts here.</summary>
    public string Folder { get; }
    public IProgressSink Progress { get; }
    public DataSets Data { get; }

    /// <summary>The record (and folder) of another task of the same assignment, run first if missing.</summary>
    public (RunRecord Record, string Folder) Dependency(string taskId) => _dependency(taskId);

    public void Setting(string name, object value) => _settings[name] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
    public void Value(string name, double value) => _values[name] = value;
    public void Series(string name, IEnumerable<double> values) => _series[name] = values.ToArray();
    public void Observe(string text) => _observations.Add(text);
    public void Table(string id, string caption, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows) =>
        _tables.Add(new TableData(id, caption, columns, rows.ToList()));
    /// <summary>
    /// The checkpoint of the trainer labelled <paramref name="label"/> (the n-th trainer with that label gets its own),
    /// kept in the run's folder while the run is incomplete so that `harness run` resumes an interrupted run.
    /// </summary>
    public TrainingCheckpoint Checkpoint(string label)
    {
        int n = _checkpointLabels[label] = _checkpointLabels.GetValueOrDefault(label) + 1;
        var name = RunStore.Safe(label) + (n > 1 ? $"-{n}" : "");
        return new TrainingCheckpoint(Path.Combine(Folder, RunStore.CheckpointFolder, name));
    }

    public string Artifact(string name, string relativePath) { _artifacts[name] = relativePath; return Path.Combine(Folder, relativePath); }

    /// <summary>Records a figure: its data as JSON, plus PNG and SVG renderings for people who write their own report.</summary>
    public void Figure(string id, string caption, FigureSpec spec)
    {
        var rel = Path.Combine("figures", id + ".json");
        RecordJson.WriteAtomic(Path.Combine(Folder, rel), RecordJson.Serialize(spec));
        FigureExport.SavePngAndSvg(spec, Path.Combine(Folder, "figures", id));
        _figures.RemoveAll(f => f.Id == id);
        _figures.Add(new FigureRef(id, caption, rel));
    }

    /// <summary>Times a named part of the run (kept out of the deterministic part of the record).</summary>
    public T Timed<T>(string section, Func<T> work)
    {
        var sw = Stopwatch.StartNew();
        try { return work(); }
        finally { _sections[section] = _sections.GetValueOrDefault(section) + sw.Elapsed.TotalSeconds; }
    }

    public void Timed(string section, Action work) => Timed(section, () => { work(); return 0; });
    public void TimeSection(string section, double seconds) => _sections[section] = _sections.GetValueOrDefault(section) + seconds;

    internal RunRecord Build(IReadOnlyDictionary<string, string> settings, EnvironmentInfo env, DateTimeOffset started, DateTimeOffset finished, bool resumed = false) => new()
    {
        Key = Key,
        Title = Task.Title,
        Settings = settings.Concat(_settings.Where(s => !settings.ContainsKey(s.Key))).ToDictionary(),
        Values = new Dictionary<string, double>(_values),
        Series = new Dictionary<string, double[]>(_series),
        Tables = _tables.ToList(),
        Figures = _figures.ToList(),
        Observations = _observations.ToList(),
        Artifacts = new Dictionary<string, string>(_artifacts),
        Environment = env,
        Timing = new TimingInfo(started, finished, (finished - started).TotalSeconds, new Dictionary<string, double>(_sections), resumed),
    };
}
