using Harness.Core.Configuration;
using Harness.Core.Experiments;

namespace Harness.Cli
{
    /// <summary>The process's exit status, like a test runner's: 0 everything met, 1 a requirement not met.</summary>
    public static class ExitCodes
    {
        public const int Ok = 0;
        /// <summary>`harness run` or `report` judged a requirement and it failed (or was not run).</summary>
        public const int RequirementsNotMet = 1;
        public const int Usage = 2;
        public const int Configuration = 3;
        /// <summary>The work could not be done: missing data, a broken state, a folder that cannot be written.</summary>
        public const int CouldNotRun = 4;
    }

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
              harness grade --assignment X --submissions DIR [--out DIR] [--task T[,T…]]
                                                                  grade students' trained models, one folder per
                                                                  submission (submission.json + model files), against the
                                                                  tasks' requirements at the full profile's thresholds;
                                                                  writes OUT/gradebook.csv, OUT/summary.pdf and per
                                                                  submission results.json, junit.xml, feedback.pdf
                                                                  (default OUT grades/X). --time-limit S, --memory-limit-mb
                                                                  M, --max-model-mb M, --workers N, --reveal, --no-pdf
              harness grade --gradescope --assignment X           Gradescope autograder: /autograder/submission →
                                                                  /autograder/results/results.json (--submission DIR,
                                                                  --results FILE override them)
              harness gradescope-package --assignment X [--out FILE] [--no-data]
                                                                  the autograder zip for Gradescope (setup.sh,
                                                                  run_autograder, the harness's source, the data)
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
                    "grade" => Grading.GradeCommand.Run(args, options, progress),
                    "grade-worker" => Grading.GradeCommand.Worker(args),
                    "gradescope-package" => Grading.GradescopePackageCommand.Run(args, options, progress),
                    "data" when args.Positional.Count > 1 && args.Positional[1] == "verify" => Commands.VerifyData(args, options, progress),
                    _ => throw new UsageException($"unknown command '{string.Join(' ', args.Positional)}'"),
                };
            }
            catch (UsageException e)
            {
                Console.Error.WriteLine($"harness: {e.Message}\n\n{Usage}");
                return ExitCodes.Usage;
            }
            catch (HarnessConfigurationException e)
            {
                Console.Error.WriteLine($"harness: configuration error: {e.Message}");
                return ExitCodes.Configuration;
            }
            catch (HarnessException e)
            {
                Console.Error.WriteLine($"harness: {e.Message}");
                return ExitCodes.CouldNotRun;
            }
            catch (UnauthorizedAccessException e)
            {
                Console.Error.WriteLine($"harness: {e.Message.TrimEnd('.')}: no permission to write there. Make the folder writable, or choose another one (--output DIR for records, --out FILE for a report, HARNESS__ReportsDir).");
                return ExitCodes.CouldNotRun;
            }
            catch (IOException e)
            {
                var full = e.HResult == 28 || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase);
                Console.Error.WriteLine(full
                    ? $"harness: no space left on the device: {e.Message.TrimEnd('.')}. Free some space or write elsewhere (--output DIR, --out FILE); nothing half-written was kept."
                    : $"harness: {e.Message.TrimEnd('.')}. Check that the path names a writable folder or file.");
                return ExitCodes.CouldNotRun;
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
