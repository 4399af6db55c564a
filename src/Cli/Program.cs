using Harness.Core.Configuration;
using Harness.Core.Experiments;

namespace Harness.Cli
{
    public static class Cli
    {
        public const string Usage = """
            harness — reproducible grading harness for deep-learning coursework

            usage:
              harness list [--assignment X]                      assignments, tasks and requirements
              harness run --assignment X [--task T[,T…]] [--force]  train/evaluate tasks and record the results
              harness report [--assignment X] [--out FILE] [--run-missing]
                                                                  write the submission PDF (default reports/X.pdf) from
                                                                  the recorded runs, with X.junit.xml and results.json
                                                                  beside it; --run-missing trains tasks without a record
              harness data verify                                 checksum every data set the harness can find
              harness data fetch stl10 [--to DIR] [--url URL]     download STL-10 (progress, resume), keep its four
                                                                  labelled files, verified, in DIR/stl10_binary
              harness bench [--workload W] [--processes N] [--pytorch] [--eval-batches B,B…] [--no-loop]
                                                                  training/inference images/s of the Q1.2 network; the
                                                                  harness's training loop against a bare TorchSharp loop
                                                                  on W (ex08-1.2, hw4-2b, cm500335-4.1); with
                                                                  --processes, N pairs of whole processes; --pytorch, the
                                                                  same workload through python3-torch

            common options (override appsettings.json and HARNESS__* environment variables):
              --profile smoke|full   --seed N   --device auto|cpu|cuda   --threads N
              --train-images-limit N (caps the training images of GPU-sized tasks: cm500335 6.1, 6.2)
              --data-root DIR (repeatable, searched in order)   --output DIR   --no-download
            """;

        public static int Main(string[] argv)
        {
            // Ctrl+C still stops at once (a step may take a while); this only says what is kept and how to go on.
            Console.CancelKeyPress += (_, _) => Console.Error.WriteLine(
                "\nInterrupted. Finished records are kept, and training resumes after its last completed epoch: run the same command again.");
            return Execute(argv);
        }

        public static int Execute(string[] argv)
        {
            try
            {
                var args = new Arguments(argv);
                if (args.Positional.Count == 0 || args.Switch("help") || args.Positional[0] is "help" or "-h")
                {
                    Console.WriteLine(Usage);
                    return args.Positional.Count == 0 && !argv.Contains("--help") ? 2 : 0;
                }
                var options = OptionsLoader.Load(CommonOverrides(args));
                var progress = TerminalProgress.ForConsole();
                return args.Positional[0] switch
                {
                    "list" => Commands.List(args),
                    "run" => Commands.Run(args, options, progress),
                    "report" => Commands.Report(args, options, progress),
                    "bench" => BenchCommand.Run(args, options, progress),
                    "data" when args.Positional.Count > 1 && args.Positional[1] == "verify" => Commands.VerifyData(args, options, progress),
                    "data" when args.Positional.Count > 1 && args.Positional[1] == "fetch" => DataFetchCommand.Run(args, options, progress),
                    _ => throw new UsageException($"unknown command '{string.Join(' ', args.Positional)}'"),
                };
            }
            catch (UsageException e)
            {
                Console.Error.WriteLine($"harness: {e.Message}\n\n{Usage}");
                return 2;
            }
            catch (HarnessConfigurationException e)
            {
                Console.Error.WriteLine($"harness: configuration error: {e.Message}");
                return 3;
            }
            catch (HarnessException e)
            {
                Console.Error.WriteLine($"harness: {e.Message}");
                return 1;
            }
        }

        /// <summary>Flags shared by every command, as configuration keys.</summary>
        private static Dictionary<string, string?> CommonOverrides(Arguments args)
        {
            var o = new Dictionary<string, string?>();
            void Put(string flag, string key) { if (args.Value(flag) is { } v) o[key] = v; }
            Put("profile", nameof(HarnessOptions.Profile));
            Put("seed", nameof(HarnessOptions.Seed));
            Put("device", nameof(HarnessOptions.Device));
            Put("threads", nameof(HarnessOptions.Threads));
            Put("train-images-limit", nameof(HarnessOptions.TrainImagesLimit));
            Put("output", nameof(HarnessOptions.OutputDir));
            var roots = args.Values("data-root");
            for (int i = 0; i < roots.Count; i++) o[$"{nameof(HarnessOptions.DataRoots)}:{i}"] = roots[i];
            if (args.Switch("no-download")) o[nameof(HarnessOptions.AllowDownload)] = "false";
            return o;
        }
    }
}
