using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Bench;

/// <summary>
/// The reference the harness is measured against: a training loop as the PyTorch examples write one, with nothing
/// around it — batches from <c>randperm</c>, the loss and correct count summed on the device and read once per
/// epoch, evaluation of the validation and test splits in batches of 1,000 after every epoch. No checkpoints,
/// records, checks or figures. Compiled into both <c>harness bench</c> (in-process comparison) and the bare process.
/// </summary>
public static class BareLoop
{
    /// <summary>Wall time of the whole loop, of its training steps and of its evaluation passes; the mean training loss per epoch.</summary>
    public sealed record Result(double Seconds, double StepSeconds, double EvalSeconds, double[] TrainLoss);

    public sealed record Split(Tensor X, Tensor Y);

    public static Result Train(nn.Module<Tensor, Tensor> model, Split train, Split validation, Split test, int epochs, int batchSize,
        Func<IEnumerable<Parameter>, optim.Optimizer> optimizer, Func<optim.Optimizer, optim.lr_scheduler.LRScheduler>? schedule, Device device, long seed)
    {
        model.to(device);
        using var opt = optimizer(model.parameters());
        var sched = schedule?.Invoke(opt);
        using var gen = new Generator((ulong)seed);
        var clock = Stopwatch.StartNew();
        double steps = 0, evals = 0;
        var losses = new double[epochs];
        long n = train.X.shape[0];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var stepClock = Stopwatch.StartNew();
            model.train();
            using var order = randperm(n, generator: gen);
            using var lossSum = zeros(1, dtype: ScalarType.Float64, device: device);
            for (long start = 0; start < n; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var idx = order.narrow(0, start, Math.Min(batchSize, n - start));
                var x = train.X.index_select(0, idx).to(device);
                var y = train.Y.index_select(0, idx).to(device);
                opt.zero_grad();
                var loss = nn.functional.cross_entropy(model.call(x), y);
                loss.backward();
                opt.step();
                lossSum.add_(loss.detach().mul(idx.shape[0]).to_type(ScalarType.Float64));
            }
            losses[epoch] = lossSum.item<double>() / n;
            steps += stepClock.Elapsed.TotalSeconds;
            var evalClock = Stopwatch.StartNew();
            Evaluate(model, validation, device);
            Evaluate(model, test, device);
            evals += evalClock.Elapsed.TotalSeconds;
            sched?.step();
        }
        return new Result(clock.Elapsed.TotalSeconds, steps, evals, losses);
    }

    /// <summary>Accuracy of a split in batches of 1,000, in eval mode without gradients.</summary>
    public static double Evaluate(nn.Module<Tensor, Tensor> model, Split split, Device device, int batchSize = 1000)
    {
        model.eval();
        using var _ = no_grad();
        using var correct = zeros(1, dtype: ScalarType.Int64, device: device);
        long n = split.X.shape[0];
        for (long start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var x = split.X.narrow(0, start, Math.Min(batchSize, n - start)).to(device);
            var y = split.Y.narrow(0, start, Math.Min(batchSize, n - start)).to(device);
            correct.add_(model.call(x).argmax(1).eq(y).sum());
        }
        return (double)correct.item<long>() / n;
    }
}
