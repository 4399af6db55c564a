using System.Diagnostics;
using Harness.Core.Configuration;
using Harness.Core.Data;
using Harness.Core.Records;
using Harness.Core.Requirements;
using Harness.Core.Training;
using TorchSharp;

namespace Harness.Core.Experiments;

/// <summary>The record (and folder) of a task this one depends on, with the task itself, so its settings are typed.</summary>
public sealed record TaskRun<TTask>(TTask Task, RunRecord Record, string Folder) where TTask : TaskDefinition;

/// <summary>
/// What a running task sees: options, device, data, progress, the records of the tasks it depends on, the one way to
/// train a model (<see cref="Train"/>), and the builders for what it records (values, checks, series, tables, figures,
/// observations, artifacts).
/// </summary>
public sealed class RunContext
{
    private readonly Dictionary<string, string> _settings = new();
    private readonly Dictionary<string, double> _values = new();
    private readonly Dictionary<string, string> _checks = new();
    private readonly Dictionary<string, double[]> _series = new();
    private readonly List<TableData> _tables = new();
    private readonly List<FigureRef> _figures = new();
    private readonly List<string> _observations = new();
    private readonly Dictionary<string, string> _artifacts = new();
    private readonly Dictionary<string, int> _checkpointLabels = new();
    private readonly Dictionary<string, double> _sections = new();
    private string? _dataNote;
    private int _plannedEpochs, _cappedEpochs;
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
    public int Seed => Options.Seed;
    public torch.Device Device { get; }
    /// <summary>The run's folder (being written): put artifacts here.</summary>
    public string Folder { get; }
    public IProgressSink Progress { get; }
    public DataSets Data { get; }

    /// <summary>The record (and folder) of another task of the same assignment, run first if missing.</summary>
    public (RunRecord Record, string Folder) Dependency(string taskId) => _dependency(taskId);

    /// <summary>A dependency by its type: its record, folder and the task (whose settings are then typed).</summary>
    public TaskRun<TTask> Dependency<TTask>() where TTask : TaskDefinition, new()
    {
        var task = new TTask();
        if (task.Assignment != Task.Assignment)
            throw new InvalidOperationException($"{Task} reads {task}, a task of another assignment");
        var (record, folder) = _dependency(task.Id);
        return new TaskRun<TTask>(task, record, folder);
    }

    /// <summary>
    /// Trains <paramref name="model"/> by <paramref name="recipe"/> on <paramref name="objective"/>, with a checkpoint
    /// after every epoch kept in the run's folder (the n-th training with the same label gets its own), so that an
    /// interrupted run resumes where it stopped. Batches are shuffled from <paramref name="seed"/> (default: the run's).
    /// <paramref name="resumable"/> = false trains without a checkpoint (probes that must really run twice).
    /// </summary>
    public TrainingResult Train(string label, torch.nn.Module model, TrainingRecipe recipe, IObjective objective, int? seed = null, bool resumable = true)
    {
        _plannedEpochs += recipe.Epochs;
        recipe = recipe with { Epochs = EpochsRun(recipe.Epochs) };
        _cappedEpochs += recipe.Epochs;
        var result = new Trainer(model, recipe, objective, Device, Progress) { Label = label, ProgressName = $"{Task.Assignment} {label}", Checkpoint = resumable ? Checkpoint(label) : null }.Fit(seed ?? Seed);
        Resumed |= result.ResumedAfter > 0;
        return result;
    }

    /// <summary>
    /// The epochs a training planned for <paramref name="planned"/> epochs runs under <see cref="HarnessOptions.EpochsLimit"/>
    /// (the planned number when there is no cap): what a check of "every epoch recorded" expects.
    /// </summary>
    public int EpochsRun(int planned) => Options.EpochsLimit > 0 ? Math.Min(planned, Options.EpochsLimit) : planned;

    /// <summary>Said on every record (and so every report section) made under an epoch cap.</summary>
    public static string CappedNote(int limit) =>
        $"Epochs capped at {limit} (HARNESS__EpochsLimit): a trial of this profile's code path, not a run of it; its accuracies are those of {limit} epoch{(limit == 1 ? "" : "s")} and what needs the whole schedule is not judged.";

    /// <summary>Whether any training of this run continued from a checkpoint of an interrupted attempt.</summary>
    public bool Resumed { get; private set; }

    public void Setting(string name, object value) => _settings[name] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
    public void Value(string name, double value) => _values[name] = value;

    /// <summary>Records a check: value 1 when it holds (else 0) and what it found, which the verdict shows.</summary>
    public void Check(string name, bool holds, string finding)
    {
        _values[name] = holds ? 1 : 0;
        _checks[name] = finding;
    }

    /// <summary>Records a check made of several parts: it holds when every part does; the finding names the failures.</summary>
    public void Check(string name, Findings findings, string verified) => Check(name, findings.Holds, findings.Finding(verified));

    public void Series(string name, IEnumerable<double> values) => _series[name] = values.ToArray();
    /// <summary>Says what the data were when a reader must know it (a stand-in for the real set); see <see cref="RunRecord.DataNote"/>.</summary>
    public void NoteData(string note) => _dataNote = note;
    public void Observe(string text) => _observations.Add(text);
    public void Table(string id, string caption, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows) =>
        _tables.Add(new TableData(id, caption, columns, rows.ToList()));

    /// <summary>The checkpoint of the trainer labelled <paramref name="label"/> (the n-th trainer with that label gets its own).</summary>
    private TrainingCheckpoint Checkpoint(string label)
    {
        int n = _checkpointLabels[label] = _checkpointLabels.GetValueOrDefault(label) + 1;
        var name = RunStore.Safe(label) + (n > 1 ? $"-{n}" : "");
        return new TrainingCheckpoint(Path.Combine(Folder, RunStore.CheckpointFolder, name));
    }

    public string Artifact(string name, string relativePath) { _artifacts[name] = relativePath; return Path.Combine(Folder, relativePath); }

    /// <summary>
    /// Records a figure by its data (JSON). Its PNG and SVG renderings, for people who write their own report, are made
    /// beside it when the report is written: drawing is presentation, kept off the run's path.
    /// </summary>
    public void Figure(string id, string caption, FigureSpec spec)
    {
        var rel = Path.Combine("figures", id + ".json");
        RecordJson.WriteAtomic(Path.Combine(Folder, rel), RecordJson.SerializeCompact(spec));
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

    /// <summary>
    /// The run's work volume: the task's, scaled under an epoch cap by the share of the planned epochs that ran (training
    /// dominates), so that the planner projects the uncapped run from a capped trial's clock.
    /// </summary>
    private double? Work()
    {
        var work = Task.Work(Options);
        return work is { } w && _cappedEpochs < _plannedEpochs ? w * _cappedEpochs / _plannedEpochs : work;
    }

    internal RunRecord Build(IReadOnlyDictionary<string, string> settings, EnvironmentInfo env, DateTimeOffset started, DateTimeOffset finished) => new()
    {
        Key = Key,
        Title = Task.Title,
        Settings = settings.Concat(_settings.Where(s => !settings.ContainsKey(s.Key))).ToDictionary(),
        Values = new Dictionary<string, double>(_values),
        Checks = new Dictionary<string, string>(_checks),
        Series = new Dictionary<string, double[]>(_series),
        Tables = _tables.ToList(),
        Figures = _figures.ToList(),
        Observations = _observations.ToList(),
        Artifacts = new Dictionary<string, string>(_artifacts),
        Environment = env,
        Timing = new TimingInfo(started, finished, (finished - started).TotalSeconds, new Dictionary<string, double>(_sections), Resumed, Work()),
        DataNote = Options.EpochsLimit > 0 ? string.Join(" ", new[] { _dataNote, CappedNote(Options.EpochsLimit) }.OfType<string>()) : _dataNote,
    };
}
