using System.Security.Cryptography;
using System.Text.Json;
using Harness.Core.Experiments;
using Harness.Core.Records;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Core.Training;

/// <summary>What the trainer needs to go on after epoch <see cref="Epochs"/>.Count exactly as if it had not stopped.</summary>
/// <param name="Files">SHA-256 of every file of the state folder, checked before anything is loaded</param>
public sealed record CheckpointProgress(string Fingerprint, IReadOnlyList<EpochResult> Epochs, int BestEpoch, double BestScore,
    long ImagesSeen, double Seconds, double StepSeconds, double EvalSeconds, double CheckpointSeconds, float[] FirstLosses, bool KeepsBest,
    string StateFolder, IReadOnlyDictionary<string, string>? Files = null);

/// <summary>
/// One trainer's end-of-epoch checkpoint: model weights, best-epoch weights (when the selection keeps them), the
/// optimiser's state and the CPU random generator's state (dropout), so that an interrupted run resumes bit for bit on
/// CPU. Each epoch is written to a new folder, every file hashed into a small JSON pointer, and the pointer replaced
/// atomically, the previous one kept: a kill at any moment leaves the new checkpoint or the previous one, never half
/// of one. A damaged checkpoint (a truncated file, a flipped bit, an unreadable or dangling pointer) is discarded with
/// one warning; training goes on from the previous checkpoint, or from the start.
/// </summary>
public sealed class TrainingCheckpoint(string path)
{
    private const string ModelFile = "model.bin", BestFile = "best.bin", RngFile = "rng.bin";
    private string Pointer => Path + ".json";
    private string PreviousPointer => Path + ".prev.json";
    public string Path { get; } = path;

    /// <summary>The newest intact checkpoint with this fingerprint; null when there is none (stale or damaged ones are skipped, saying so).</summary>
    public CheckpointProgress? TryLoadProgress(string fingerprint, Action<string> warn)
    {
        foreach (var pointer in new[] { Pointer, PreviousPointer })
        {
            if (!File.Exists(pointer)) continue;
            CheckpointProgress p;
            try { p = RecordJson.Deserialize<CheckpointProgress>(File.ReadAllText(pointer)); }
            catch (Exception e) when (e is JsonException or IOException or InvalidOperationException)
            {
                warn($"warning: the checkpoint pointer {pointer} is unreadable ({e.Message.Split(" Path:")[0]}); it is ignored.");
                continue;
            }
            if (p.Fingerprint != fingerprint) return null;   // another training's checkpoint: start afresh
            if (Damage(p) is { } damage)
            {
                warn($"warning: the checkpoint {StateFolderOf(p)} (after epoch {p.Epochs?.Count}) is damaged: {damage}; it is discarded.");
                continue;
            }
            return p;
        }
        return null;
    }

    /// <summary>Why a checkpoint cannot be trusted (a missing folder or file, a hash that does not match), or null.</summary>
    private string? Damage(CheckpointProgress p)
    {
        if (p.Epochs is null || p.StateFolder is null || p.Files is null || p.FirstLosses is null) return "its pointer is incomplete";
        var folder = StateFolderOf(p);
        if (!Directory.Exists(folder)) return $"its folder {folder} is missing";
        foreach (var (name, hash) in p.Files)
        {
            var file = System.IO.Path.Combine(folder, name);
            if (!File.Exists(file)) return $"{name} is missing";
            if (Hash(file) != hash) return $"{name} does not match its hash (truncated or altered)";
        }
        return null;
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
            : p.KeepsBest && p.BestEpoch == p.Epochs[^1].Epoch ? TensorFile.Read(System.IO.Path.Combine(folder, ModelFile)) : null;
    }

    public void Save(CheckpointProgress p, nn.Module model, Dictionary<string, Tensor>? best, ITrainingOptimizer optimizer)
    {
        var name = $"epoch{p.Epochs.Count}";
        var folder = System.IO.Path.Combine(Path + ".d", name);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        TensorFile.Write(System.IO.Path.Combine(folder, ModelFile), model.state_dict());
        FaultInjection.At("checkpoint:after-model");
        // The best epoch is often the one just trained: then the model's file is the best one too, written once.
        if (best is not null && p.Epochs[^1].Epoch != p.BestEpoch) TensorFile.Write(System.IO.Path.Combine(folder, BestFile), best);
        optimizer.Save(folder);
        using (var rng = get_rng_state())
            File.WriteAllBytes(System.IO.Path.Combine(folder, RngFile), rng.bytes.ToArray());
        var files = Directory.GetFiles(folder).ToDictionary(f => System.IO.Path.GetFileName(f), Hash);
        // The current pointer becomes the previous one (both renames are atomic; between them the previous one is found).
        if (File.Exists(Pointer)) File.Move(Pointer, PreviousPointer, overwrite: true);
        RecordJson.WriteAtomic(Pointer, RecordJson.Serialize(p with { StateFolder = name, Files = files }));
        var keep = new HashSet<string> { name };
        if (ReadFolderName(PreviousPointer) is { } prev) keep.Add(prev);
        foreach (var old in Directory.GetDirectories(Path + ".d").Where(d => !keep.Contains(System.IO.Path.GetFileName(d))))
            Directory.Delete(old, recursive: true);
    }

    private static string? ReadFolderName(string pointer)
    {
        try { return File.Exists(pointer) ? RecordJson.Deserialize<CheckpointProgress>(File.ReadAllText(pointer)).StateFolder : null; }
        catch (Exception e) when (e is JsonException or IOException) { return null; }
    }

    private static string Hash(string file)
    {
        using var s = File.OpenRead(file);
        return Convert.ToHexString(SHA256.HashData(s)).ToLowerInvariant();
    }

    private string StateFolderOf(CheckpointProgress p) => System.IO.Path.Combine(Path + ".d", p.StateFolder);
}
