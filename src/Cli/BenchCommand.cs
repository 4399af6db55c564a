using System.Diagnostics;
using System.Globalization;
using Harness.Core.Configuration;
using Harness.Core.Data;
using Harness.Core.Experiments;
using Harness.Core.Metrics;
using Harness.Core.Training;
using Harness.Tasks.Ex08.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Cli;

/// <summary>
/// <c>harness bench</c>: training and inference throughput of the Ex08 Q1.2 network (the harness's reference model)
/// on this machine, the numbers that speed targets in issues are measured with. Inputs are seeded noise of the
/// Fashion-MNIST shape: the cost of a step does not depend on pixel values, and no data set is needed.
/// </summary>
public static class BenchCommand
{
    public static int Run(Arguments args, HarnessOptions options)
    {
        var batches = args.Int("batches") ?? 100;
        var batchSize = args.Int("batch-size") ?? 64;
        args.EnsureAllRead();
        if (batches < 1 || batchSize < 1) throw new UsageException("--batches and --batch-size must be positive");

        var device = RunEnvironment.ResolveDevice(options.Device);
        RunEnvironment.Seed(options.Seed, options.Threads);
        using var model = new MnistExampleCnn();
        model.to(device);
        // Seeded noise of the Fashion-MNIST shape: one epoch of exactly the timed batches, through the harness's own trainer.
        var noise = new ImageDataSet("noise", rand(new long[] { (long)batches * batchSize, 1, 28, 28 }), randint(0, 10, new long[] { (long)batches * batchSize }), Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray());
        var objective = new ClassifierObjective(model, noise, null, null, device);
        var recipe = new TrainingRecipe(1, batchSize, new OptimizerSpec("Adadelta", 1.0));

        Console.WriteLine($"Q1.2 network (MnistExampleCnn, {ModelSummary.TotalParameters(model):N0} parameters) on {RunEnvironment.DeviceName(device)}, " +
                          $"{get_num_threads()} threads, batch {batchSize}, {batches} timed batches after 5 warm-up");
        new Trainer(model, recipe with { MaxBatches = 5 }, objective, device, LineProgress.Silent).Fit(options.Seed);
        var train = new Trainer(model, recipe, objective, device, LineProgress.Silent).Fit(options.Seed).ImagesPerSecond;
        model.eval();
        var infer = Measure(() => Evaluation.Predict(model, noise, device, batchSize), noise.Count);
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"training  (forward+backward+step): {train:0} images/s\ninference (eval, no grad):          {infer:0} images/s\npeak working set: {peak:0} MiB"));
        return 0;
    }

    /// <summary>Images per second of a pass over <paramref name="images"/> images, after one warm-up pass.</summary>
    private static double Measure(Action pass, int images)
    {
        pass();
        var sw = Stopwatch.StartNew();
        pass();
        return images / sw.Elapsed.TotalSeconds;
    }
}
