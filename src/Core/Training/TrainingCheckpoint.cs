using System.Text.Json;
using Harness.Core.Records;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Core.Training;

/// <summary>What the trainer needs to go on after epoch <see cref="Epochs"/>.Count exactly as if it had not stopped.</summary>
public sealed record CheckpointProgress(string Fingerprint, IReadOnlyList<EpochResult> Epochs, int BestEpoch, double BestScore,
    long ImagesSeen, double Seconds, double StepSeconds, double EvalSeconds, double CheckpointSeconds, float[] FirstLosses, bool KeepsBest, string StateFolder);

/// <summary>
/// One trainer's end-of-epoch checkpoint: model weights, best-epoch weights (when the selection keeps them), the
/// optimiser's state and the CPU random generator's state (dropout), so that an interrupted run resumes bit for bit on
/// CPU. Each epoch is written to a new folder and then named in a small JSON pointer file, replaced atomically: a kill
/// at any moment leaves either the previous checkpoint or the new one, never half of one.
/// </summary>
public sealed class TrainingCheckpoint(string path)
{
    private const string ModelFile = "model.bin", BestFile = "best.bin", RngFile = "rng.bin";
    private string Pointer => Path + ".json";
    public string Path { get; } = path;

    /// <summary>The saved progress when a checkpoint with this fingerprint exists; null otherwise (a stale one is ignored).</summary>
    public CheckpointProgress? TryLoadProgress(string fingerprint)
    {
        if (!File.Exists(Pointer)) return null;
        try
        {
            var p = RecordJson.Deserialize<CheckpointProgress>(File.ReadAllText(Pointer));
            return p.Fingerprint == fingerprint && Directory.Exists(StateFolderOf(p)) ? p : null;
        }
        catch (JsonException) { return null; }   // a checkpoint is only an optimisation: an unreadable one means start again
    }

    /// <summary>Loads the weights, optimiser and random state of <paramref name="p"/>; returns the best-epoch weights if saved (caller disposes).</summary>
    public Dictionary<string, Tensor>? Restore(CheckpointProgress p, nn.Module model, ITrainingOptimizer optimizer)
    {
        var folder = StateFolderOf(p);
        var state = TensorFile.Read(System.IO.Path.Combine(folder, ModelFile));
        try { ModelState.Restore(model, state); }
        finally { ModelState.Dispose(state); }
        optimizer.Restore(folder, p.Epochs.Count);
        using (var rng = tensor(File.ReadAllBytes(System.IO.Path.Combine(folder, RngFile)), dtype: uint8))
            set_rng_state(rng);
        var bestFile = System.IO.Path.Combine(folder, BestFile);
        return File.Exists(bestFile) ? TensorFile.Read(bestFile)
            : p.BestEpoch == p.Epochs[^1].Epoch && p.BestScore > double.NegativeInfinity && HasBest(p) ? TensorFile.Read(System.IO.Path.Combine(folder, ModelFile)) : null;
    }

    public void Save(CheckpointProgress p, nn.Module model, Dictionary<string, Tensor>? best, ITrainingOptimizer optimizer)
    {
        var name = $"epoch{p.Epochs.Count}";
        var folder = System.IO.Path.Combine(Path + ".d", name);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        var state = model.state_dict();
        TensorFile.Write(System.IO.Path.Combine(folder, ModelFile), state);
        // The best epoch is often the one just trained: then the model's file is the best one too, written once.
        if (best is not null && !p.Epochs[^1].Epoch.Equals(p.BestEpoch)) TensorFile.Write(System.IO.Path.Combine(folder, BestFile), best);
        optimizer.Save(folder);
        using (var rng = get_rng_state())
            File.WriteAllBytes(System.IO.Path.Combine(folder, RngFile), rng.bytes.ToArray());
        RecordJson.WriteAtomic(Pointer, RecordJson.Serialize(p with { StateFolder = name }));
        foreach (var old in Directory.GetDirectories(Path + ".d").Where(d => System.IO.Path.GetFileName(d) != name))
            Directory.Delete(old, recursive: true);
    }

    /// <summary>Whether the run keeps best-epoch weights at all (a selection by metric); "last epoch" runs have none.</summary>
    private static bool HasBest(CheckpointProgress p) => p.KeepsBest;

    private string StateFolderOf(CheckpointProgress p) => System.IO.Path.Combine(Path + ".d", p.StateFolder);
}
