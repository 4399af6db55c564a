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
        /// <summary>The overview of every command (harness --help); each command's own help is <c>harness COMMAND --help</c>.</summary>
        public static string Usage => CommandTable.Overview();

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
                var help = args.Switch("help") || args.Positional is [.., "-h"] || args.Given("h");
                if (args.Positional.Count == 0 && args.Switch("version"))
                {
                    args.EnsureAllRead();
                    return VersionCommand.Print(OptionsLoader.Load(CommonOverrides(args)));
                }
                if (args.Positional.Count == 0 || args.Positional[0] is "help" or "-h")
                {
                    // `harness help report` is `harness report --help`.
                    if (args.Positional.Count > 1 && CommandTable.Find(args.Positional.Skip(1).ToList()) is { } named) { Console.WriteLine(CommandTable.Help(named)); return 0; }
                    Console.WriteLine(Usage);
                    return args.Positional.Count == 0 && !help ? ExitCodes.Usage : ExitCodes.Ok;
                }
                var command = CommandTable.Find(args.Positional);
                if (command is null)
                {
                    // A group word alone ("harness data") shows its subcommands.
                    if (CommandTable.Group(args.Positional[0]).Count > 0)
                    {
                        var group = CommandTable.GroupHelp(args.Positional[0]);
                        if (args.Positional.Count == 1) { Console.WriteLine(group); return help ? ExitCodes.Ok : ExitCodes.Usage; }
                        throw new UsageException($"unknown command '{string.Join(' ', args.Positional)}'", group);
                    }
                    throw new UsageException($"unknown command '{string.Join(' ', args.Positional)}'");
                }
                if (help) { Console.WriteLine(CommandTable.Help(command)); return ExitCodes.Ok; }
                if (args.Positional.Count > command.Name.Split(' ').Length + command.Arguments)
                    throw new UsageException($"{command.Name} takes no argument '{args.Positional[command.Name.Split(' ').Length]}'", CommandTable.Help(command));
                var options = OptionsLoader.Load(CommonOverrides(args));
                var progress = TerminalProgress.ForConsole();
                try { return command.Run(args, options, progress); }
                catch (UsageException e) when (e.Help is null) { throw new UsageException(e.Message, CommandTable.Help(command)); }
            }
            catch (UsageException e)
            {
                Console.Error.WriteLine($"harness: {e.Message}\n\n{e.Help ?? Usage}");
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
            Put("epochs-limit", nameof(HarnessOptions.EpochsLimit));
            Put("output", nameof(HarnessOptions.OutputDir));
            var roots = args.Values("data-root");
            for (int i = 0; i < roots.Count; i++) o[$"{nameof(HarnessOptions.DataRoots)}:{i}"] = roots[i];
            if (args.Switch("no-download")) o[nameof(HarnessOptions.AllowDownload)] = "false";
            return o;
        }
    }
}
