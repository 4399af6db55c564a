using System.Diagnostics;
using System.Globalization;
using Harness.Bench;
using Harness.Core.Configuration;
using Harness.Core.Data;
using static TorchSharp.torch;

// harness-bare WORKLOAD DATA_FOLDER [smoke|full]: reads the workload's IDX files (gunzip, no checksum), takes the first
// N images of each split, standardises them and trains with the bare loop; prints wall time and peak memory.
var clock = Stopwatch.StartNew();
if (args.Length < 2) { Console.Error.WriteLine("usage: harness-bare WORKLOAD DATA_FOLDER [smoke|full]"); return 2; }
var profile = args.Length > 2 && args[2] == "full" ? Profile.Full : Profile.Smoke;
var w = BenchWorkload.Get(args[0], profile);
manual_seed(42);

Tensor Images(DataFile f) => tensor(IdxReader.Read(Path.Combine(args[1], f.Name + ".gz")).Data).reshape(f.Shape[0], 1, f.Shape[1], f.Shape[2]).to_type(ScalarType.Float32).div_(255f);
Tensor Labels(DataFile f) => tensor(IdxReader.Read(Path.Combine(args[1], f.Name + ".gz")).Data).to_type(ScalarType.Int64);
var (trainX, trainY, testX, testY) = (Images(w.Data.TrainImages), Labels(w.Data.TrainLabels), Images(w.Data.TestImages), Labels(w.Data.TestLabels));
var x = trainX.narrow(0, 0, w.Train);
float mean = x.mean().item<float>(), std = x.std().item<float>();
BareLoop.Split Part(Tensor images, Tensor labels, int start, int count) =>
    new(images.narrow(0, start, count).sub(mean).div(std), labels.narrow(0, start, count));
var train = Part(trainX, trainY, 0, w.Train);
var validation = Part(trainX, trainY, w.Train, w.Validation);
var test = Part(testX, testY, 0, w.Test);
trainX.Dispose(); testX.Dispose();

var model = w.Model();
var r = BareLoop.Train(model, train, validation, test, w.Epochs, w.BatchSize, w.CreateOptimizer, w.Schedule, CPU, 42);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{w.Name}: loop {r.Seconds:0.000} s (steps {r.StepSeconds:0.000} s, evaluation {r.EvalSeconds:0.000} s), process {clock.Elapsed.TotalSeconds:0.000} s, final loss {r.TrainLoss[^1]:0.0000}"));
Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB");
return 0;
