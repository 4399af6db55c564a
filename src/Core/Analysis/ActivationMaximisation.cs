using static TorchSharp.torch;

namespace Harness.Core.Analysis;

/// <summary>
/// Gradient ascent on the input to maximise one output unit (a class logit) of a trained network, starting from an
/// empty image ("deep dream" / activation maximisation). Shared by Exercise sheet 08 Q3 and CM500335 task 5.
/// A step that would not raise the target logit is retried with half the step size, so the logit rises
/// monotonically; pixels stay within [<see cref="Settings.Min"/>, <see cref="Settings.Max"/>] (the model's input range).
/// </summary>
public static class ActivationMaximisation
{
    /// <param name="Steps">ascent steps</param>
    /// <param name="StepSize">initial step along the normalised gradient (in input units)</param>
    /// <param name="L2">weight of an L2 penalty on the image (keeps it from saturating)</param>
    /// <param name="Min">lowest pixel value of the model's input space</param>
    /// <param name="Max">highest pixel value of the model's input space</param>
    /// <param name="StartValue">value of the "empty" start image (the input-space value of a black pixel)</param>
    public sealed record Settings(int Steps = 300, double StepSize = 0.5, double L2 = 0.001, float Min = 0f, float Max = 1f, float StartValue = 0f);

    /// <summary>The image (flattened, input space), the target logit after each accepted step, and its softmax probability at the end.</summary>
    public sealed record Result(int TargetClass, float[] Image, double[] TargetLogit, double Probability, int PredictedClass);

    public static Result Maximise(nn.Module<Tensor, Tensor> model, int targetClass, long[] inputShape, Settings s, Device device)
    {
        var wasTraining = model.training;
        model.eval();
        var parameters = model.parameters().ToList();
        var trainable = parameters.Select(p => p.requires_grad).ToList();
        foreach (var p in parameters) p.requires_grad_(false);
        try
        {
            var shape = new long[] { 1 }.Concat(inputShape).ToArray();
            var x = full(shape, s.StartValue, device: device);
            var logits = new List<double>();
            double step = s.StepSize;
            double current = Objective(model, x, targetClass, s.L2).Logit;
            logits.Add(current);
            for (int i = 0; i < s.Steps && step > 1e-6; i++)
            {
                using var scope = NewDisposeScope();
                var xi = x.clone().requires_grad_(true);
                var (objective, _) = Objective(model, xi, targetClass, s.L2);
                objective.backward();
                var g = xi.grad!;
                var norm = g.norm().item<float>();
                if (!float.IsFinite(norm) || norm == 0) break;
                var direction = g / norm;
                // Backtracking: accept the first step that raises the target logit.
                while (step > 1e-6)
                {
                    var candidate = (x + direction * step).clamp(s.Min, s.Max).detach();
                    var logit = Objective(model, candidate, targetClass, s.L2).Logit;
                    if (logit > current)
                    {
                        x.Dispose();
                        x = candidate.MoveToOuterDisposeScope();
                        current = logit;
                        logits.Add(logit);
                        step *= 1.2;
                        break;
                    }
                    step /= 2;
                }
            }
            using (no_grad())
            {
                var output = model.call(x);
                var prob = nn.functional.softmax(output, 1)[0, targetClass].item<float>();
                var pred = (int)output.argmax(1).item<long>();
                var image = x.cpu().flatten().data<float>().ToArray();
                x.Dispose();
                return new Result(targetClass, image, logits.ToArray(), prob, pred);
            }
        }
        finally
        {
            for (int i = 0; i < parameters.Count; i++) parameters[i].requires_grad_(trainable[i]);
            model.train(wasTraining);
        }
    }

    private static (Tensor Objective, double Logit) Objective(nn.Module<Tensor, Tensor> model, Tensor x, int target, double l2)
    {
        var logit = model.call(x)[0, target];
        var objective = logit - l2 * x.pow(2).sum();
        return (objective, logit.item<float>());
    }

    /// <summary>True when every accepted step raised the logit (and none is NaN).</summary>
    public static bool RisesMonotonically(double[] logits) =>
        logits.All(double.IsFinite) && logits.Zip(logits.Skip(1)).All(p => p.Second > p.First);
}
