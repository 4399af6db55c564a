using System.Diagnostics;
using System.Globalization;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
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
        using var optimizer = optim.Adadelta(model.parameters(), lr: 1.0);
        using var x = rand(new long[] { batchSize, 1, 28, 28 }, device: device);
        using var y = randint(0, 10, new long[] { batchSize }, device: device);

        void TrainStep()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.call(x), y).backward();
            optimizer.step();
        }
        void InferStep()
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            model.call(x).argmax(1).cpu();
        }

        Console.WriteLine($"Q1.2 network (MnistExampleCnn, 1,199,882 parameters) on {device.type.ToString().ToLowerInvariant()}, " +
                          $"{get_num_threads()} threads, batch {batchSize}, {batches} timed batches after 5 warm-up");
        model.train();
        var train = Measure(TrainStep, batches, batchSize);
        model.eval();
        var infer = Measure(InferStep, batches, batchSize);
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"training  (forward+backward+step): {train:0} images/s\ninference (eval, no grad):          {infer:0} images/s\npeak working set: {peak:0} MiB"));
        return 0;
    }

    private static double Measure(Action step, int batches, int batchSize)
    {
        for (int i = 0; i < 5; i++) step();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < batches; i++) step();
        return batches * (double)batchSize / sw.Elapsed.TotalSeconds;
    }
}
