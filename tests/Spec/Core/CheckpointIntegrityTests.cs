using FluentAssertions;
using Harness.Core.Data;
using Harness.Core.Training;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Spec.Core;

/// <summary>
/// A damaged checkpoint — truncated, altered by one bit, an empty random-state file, an unreadable or dangling pointer —
/// is discarded with one warning and training goes on from the previous checkpoint or from the start, with the numbers
/// of an uninterrupted run; nothing damaged ever reaches libtorch (an empty rng.bin used to abort the process).
/// </summary>
[Property("Area", "Training")]
public sealed class CheckpointIntegrityTests
{
    private string dir = "";

    [SetUp]
    public void TempDir() => dir = Directory.CreateTempSubdirectory("harness-ckpt-").FullName;

    [TearDown]
    public void Clean() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    private sealed class Net : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Linear fc1, fc2;
        private readonly TorchSharp.Modules.Dropout drop;
        public Net() : base("Net") { fc1 = nn.Linear(16, 8); drop = nn.Dropout(0.3); fc2 = nn.Linear(8, 2); RegisterComponents(); }
        public override Tensor forward(Tensor x) => fc2.call(drop.call(nn.functional.relu(fc1.call(x.flatten(1)))));
    }

    private static ImageDataSet Blobs(int n, int seed)
    {
        var g = new SeededRandom(seed);
        var labels = Enumerable.Range(0, n).Select(i => (long)(i % 2)).ToArray();
        var pixels = Enumerable.Range(0, n * 16).Select(i => (float)(g.NextDouble() * 0.5 + (labels[i / 16] == 1 ? 0.5 : 0))).ToArray();
        return new ImageDataSet("blobs", tensor(pixels).reshape(n, 1, 4, 4), tensor(labels), new[] { "a", "b" });
    }

    private sealed class Stop : Exception;

    /// <summary>Trains 4 epochs (stopping after <paramref name="stopAfter"/> when given), checkpointing every epoch; returns the result and the warnings.</summary>
    private (TrainingResult? Result, List<string> Warnings) Train(int? stopAfter)
    {
        var warnings = new List<string>();
        manual_seed(3);
        using var m = new Net();
        var progress = new ListProgress(warnings);
        var trainer = new Trainer(m, new TrainingRecipe(4, 16, new OptimizerSpec("Adam", 0.05)), new ClassifierObjective(m, Blobs(64, 1), Blobs(16, 2), Blobs(16, 3), CPU), CPU, progress)
        {
            Checkpoint = new TrainingCheckpoint(Path.Combine(dir, "net")),
            CheckpointShare = 1,
            AfterEpoch = e => { if (e == stopAfter) throw new Stop(); },
        };
        try { return (trainer.Fit(1), warnings); }
        catch (Stop) { return (null, warnings); }
    }

    private sealed class ListProgress(List<string> messages) : IProgressSink
    {
        public IProgressTask Start(string description, int total) => LineProgress.Silent.Start(description, total);
        public void Message(string text) { if (text.StartsWith("warning", StringComparison.Ordinal)) messages.Add(text); }
    }

    private string Current(string file) => Directory.GetFiles(Path.Combine(dir, "net.d"), file, SearchOption.AllDirectories).OrderByDescending(f => f).First();

    private static void FlipExponentBit(string file)
    {
        var bytes = File.ReadAllBytes(file);
        bytes[^2] ^= 0x40;   // the last float's exponent
        File.WriteAllBytes(file, bytes);
    }

    [TestCase("truncated model", "model.bin")]
    [TestCase("flipped bit in the model", "model.bin")]
    [TestCase("empty random state", "rng.bin")]
    [TestCase("truncated optimiser", "optimizer.bin")]
    public void A_damaged_newest_checkpoint_falls_back_to_the_previous_one_and_gives_the_uninterrupted_numbers(string what, string file)
    {
        var straight = Train(null).Result!;
        Directory.Delete(dir, true); Directory.CreateDirectory(dir);
        Train(stopAfter: 3);
        var damaged = Current(file);
        if (what.StartsWith("flipped", StringComparison.Ordinal)) FlipExponentBit(damaged);
        else if (what.StartsWith("empty", StringComparison.Ordinal)) File.WriteAllBytes(damaged, []);
        else File.WriteAllBytes(damaged, File.ReadAllBytes(damaged)[..(int)(new FileInfo(damaged).Length / 2)]);

        var (resumed, warnings) = Train(null);
        warnings.Should().ContainSingle().Which.Should().Contain("damaged").And.Contain(file);
        resumed!.ResumedAfter.Should().Be(2, "the checkpoint after epoch 3 is discarded, the one after epoch 2 is used");
        resumed.Epochs.Should().Equal(straight.Epochs);
    }

    [Test]
    public void With_both_checkpoints_damaged_or_the_pointer_unreadable_training_starts_from_scratch()
    {
        var straight = Train(null).Result!;
        Directory.Delete(dir, true); Directory.CreateDirectory(dir);
        Train(stopAfter: 2);
        foreach (var f in Directory.GetFiles(Path.Combine(dir, "net.d"), "model.bin", SearchOption.AllDirectories)) File.WriteAllBytes(f, [1, 2, 3]);
        var (fresh, warnings) = Train(null);
        warnings.Should().HaveCount(2);
        fresh!.ResumedAfter.Should().Be(0);
        fresh.Epochs.Should().Equal(straight.Epochs);

        Directory.Delete(dir, true); Directory.CreateDirectory(dir);
        Train(stopAfter: 2);
        File.WriteAllText(Path.Combine(dir, "net.json"), "{ \"fingerprint\": ");
        File.Delete(Path.Combine(dir, "net.prev.json"));
        var (restarted, w2) = Train(null);
        w2.Should().ContainSingle().Which.Should().Contain("unreadable");
        restarted!.ResumedAfter.Should().Be(0);
        restarted.Epochs.Should().Equal(straight.Epochs);
    }

    [Test]
    public void A_pointer_naming_a_missing_folder_is_not_a_resume()
    {
        Train(stopAfter: 2);
        foreach (var d in Directory.GetDirectories(Path.Combine(dir, "net.d"))) Directory.Delete(d, true);
        var (r, warnings) = Train(null);
        r!.ResumedAfter.Should().Be(0, "a record must only say resumed when it did");
        warnings.Should().OnlyContain(w => w.Contains("missing"));
    }
}
