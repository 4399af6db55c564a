using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace Harness.Core.Configuration;

/// <summary>
/// Builds <see cref="HarnessOptions"/> from appsettings.json, HARNESS__* environment variables and command-line
/// overrides (in that order of precedence, last wins), rejecting unknown keys, values of the wrong type (an object,
/// a list or null where a number is expected) and bad values with one message that names the key, the value and what
/// is allowed; a JSON syntax error names the file, line and column. Relative paths are resolved against the settings
/// file's folder.
/// </summary>
public static class OptionsLoader
{
    public const string EnvironmentPrefix = "HARNESS__";
    public const string SettingsFileName = "appsettings.json";

    /// <summary>More libtorch threads than this per core only queue work (100,000 made libtorch hang).</summary>
    public const int ThreadsPerCoreLimit = 4;
    public static int MaxThreads => Math.Max(8, ThreadsPerCoreLimit * Environment.ProcessorCount);

    private static readonly Dictionary<string, PropertyInfo> Known = typeof(HarnessOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>A setting's value as given: a JSON value from the file, or text from the environment or a flag, with where it came from.</summary>
    private sealed record Given(JsonElement? Json, string? Text, string Source);

    public static HarnessOptions Load(IReadOnlyDictionary<string, string?>? overrides = null, string? settingsFile = null,
        IDictionary<string, string?>? environment = null)
    {
        settingsFile ??= FindSettingsFile();
        var baseDir = settingsFile is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(settingsFile))!;
        var given = new Dictionary<string, Given>(StringComparer.OrdinalIgnoreCase);
        var roots = new SortedDictionary<int, Given>();
        if (settingsFile is not null) ReadFile(settingsFile, given, roots);
        foreach (var (key, value) in EnvironmentEntries(environment)) Put(key, value, $"{EnvironmentPrefix}{key.Replace(":", "__")}", given, roots);
        if (overrides is not null) foreach (var (key, value) in overrides) Put(key, value, "a flag", given, roots);
        return Bind(given, roots, baseDir);
    }

    private static void ReadFile(string file, Dictionary<string, Given> given, SortedDictionary<int, Given> roots)
    {
        string text;
        try { text = File.ReadAllText(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new HarnessConfigurationException($"{file}: {e.Message}"); }
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e)
        {
            throw new HarnessConfigurationException($"{file} is not valid JSON: line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {e.Message.Split(" Path:")[0].Split(" LineNumber:")[0]}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new HarnessConfigurationException($"{file} must hold one JSON object of settings ({{ \"Profile\": \"smoke\", … }}), not a {Kind(doc.RootElement)}.");
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                CheckKnown(p.Name, $"{file}");
                if (p.Name.Equals(nameof(HarnessOptions.DataRoots), StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.Array)
                {
                    int i = 0;
                    foreach (var e in p.Value.EnumerateArray()) roots[i++] = new Given(e.Clone(), null, file);
                    given[p.Name] = new Given(p.Value.Clone(), null, file);
                }
                else given[p.Name] = new Given(p.Value.Clone(), null, file);
            }
        }
    }

    /// <summary>An environment or flag entry: "Seed" or "DataRoots:0".</summary>
    private static void Put(string key, string? value, string source, Dictionary<string, Given> given, SortedDictionary<int, Given> roots)
    {
        var parts = key.Split(':');
        CheckKnown(parts[0], source);
        if (parts.Length == 2 && parts[0].Equals(nameof(HarnessOptions.DataRoots), StringComparison.OrdinalIgnoreCase) && int.TryParse(parts[1], out var index) && index >= 0)
        {
            roots[index] = new Given(null, value, source);
            return;
        }
        if (parts.Length != 1) throw new HarnessConfigurationException($"Unknown setting '{key}' (from {source}): only DataRoots takes an index (DataRoots:0, HARNESS__DataRoots__0).");
        if (parts[0].Equals(nameof(HarnessOptions.DataRoots), StringComparison.OrdinalIgnoreCase))
        {
            roots.Clear();
            int i = 0;
            foreach (var r in (value ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)) roots[i++] = new Given(null, r, source);
            return;
        }
        given[parts[0]] = new Given(null, value, source);
    }

    private static void CheckKnown(string key, string source)
    {
        if (!Known.ContainsKey(key))
            throw new HarnessConfigurationException(
                $"Unknown setting '{key}' (from {source}). Known settings: {string.Join(", ", Known.Keys)}.");
    }

    /// <summary>HARNESS__Profile=full becomes Profile=full; HARNESS__DataRoots__0 becomes DataRoots:0.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> EnvironmentEntries(IDictionary<string, string?>? environment)
    {
        if (environment is null)
        {
            environment = new Dictionary<string, string?>();
            foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
                environment[(string)e.Key] = e.Value as string;
        }
        foreach (var (key, value) in environment)
            if (key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
                yield return new(key[EnvironmentPrefix.Length..].Replace("__", ":"), value);
    }

    private static HarnessOptions Bind(Dictionary<string, Given> given, SortedDictionary<int, Given> roots, string baseDir)
    {
        var o = new HarnessOptions();
        given.TryGetValue(nameof(HarnessOptions.DataRoots), out var rootsGiven);
        if (rootsGiven?.Json is { } rj && rj.ValueKind is not (JsonValueKind.Array or JsonValueKind.String))
            throw Bad(nameof(HarnessOptions.DataRoots), rootsGiven, "a list of folders (or one folder)");
        if (rootsGiven?.Json is { ValueKind: JsonValueKind.String } single && roots.Count == 0)
            foreach (var (r, i) in single.GetString()!.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select((r, i) => (r, i)))
                roots[i] = new Given(null, r, rootsGiven.Source);
        var rootList = roots.Values.Select(g => Text(nameof(HarnessOptions.DataRoots), g, "a folder")).Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
        if (rootList.Count == 0) rootList = o.DataRoots.ToList();

        string? Get(string key, string what) => given.TryGetValue(key, out var g) ? Text(key, g, what) : null;
        return o with
        {
            Profile = ParseEnum(Get(nameof(HarnessOptions.Profile), "a profile name"), nameof(HarnessOptions.Profile), o.Profile),
            Device = ParseEnum(Get(nameof(HarnessOptions.Device), "a device name"), nameof(HarnessOptions.Device), o.Device),
            Seed = ParseInt(given, nameof(HarnessOptions.Seed), o.Seed, min: 0, max: int.MaxValue),
            Threads = ParseInt(given, nameof(HarnessOptions.Threads), o.Threads, min: 0, max: MaxThreads,
                $" (0 = libtorch's default; this machine has {Environment.ProcessorCount} cores)"),
            TrainImagesLimit = ParseInt(given, nameof(HarnessOptions.TrainImagesLimit), o.TrainImagesLimit, min: 0, max: int.MaxValue),
            EpochsLimit = ParseInt(given, nameof(HarnessOptions.EpochsLimit), o.EpochsLimit, min: 0, max: int.MaxValue, " (0 = no cap)"),
            RunBudgetMinutes = ParseInt(given, nameof(HarnessOptions.RunBudgetMinutes), o.RunBudgetMinutes, min: 0, max: int.MaxValue, " (0 = no limit)"),
            AllowDownload = ParseBool(given, nameof(HarnessOptions.AllowDownload), o.AllowDownload),
            DownloadRoot = ResolvePath(NonEmpty(Get(nameof(HarnessOptions.DownloadRoot), "a folder"), nameof(HarnessOptions.DownloadRoot)) ?? o.DownloadRoot, baseDir),
            CacheDir = ResolvePath(NonEmpty(Get(nameof(HarnessOptions.CacheDir), "a folder"), nameof(HarnessOptions.CacheDir)) ?? o.CacheDir, baseDir),
            OutputDir = ResolvePath(NonEmpty(Get(nameof(HarnessOptions.OutputDir), "a folder"), nameof(HarnessOptions.OutputDir)) ?? o.OutputDir, baseDir),
            ReportsDir = ResolvePath(NonEmpty(Get(nameof(HarnessOptions.ReportsDir), "a folder"), nameof(HarnessOptions.ReportsDir)) ?? o.ReportsDir, baseDir),
            DataRoots = rootList.Select(r => ResolvePath(r, baseDir)).ToList(),
        };
    }

    /// <summary>A string-valued setting: JSON strings only (a number or list where a folder or name is expected is an error).</summary>
    private static string Text(string key, Given g, string what)
    {
        if (g.Json is not { } j) return g.Text ?? "";
        return j.ValueKind == JsonValueKind.String ? j.GetString()! : throw Bad(key, g, what);
    }

    private static HarnessConfigurationException Bad(string key, Given g, string what) =>
        new($"Setting '{key}' (from {g.Source}) is {Describe(g)}; it must be {what}.");

    private static string Describe(Given g) => g.Json is { } j
        ? j.ValueKind switch
        {
            JsonValueKind.Null => "null",
            JsonValueKind.Object => $"an object ({j.GetRawText()})",
            JsonValueKind.Array => $"a list ({j.GetRawText()})",
            JsonValueKind.String => $"the text \"{j.GetString()}\"",
            _ => $"{j.GetRawText()}",
        }
        : $"'{g.Text}'";

    private static string Kind(JsonElement e) => e.ValueKind.ToString().ToLowerInvariant();

    private static string? NonEmpty(string? v, string key)
    {
        if (v is not null && string.IsNullOrWhiteSpace(v))
            throw new HarnessConfigurationException($"Setting '{key}' is empty; give a folder path.");
        return v;
    }

    private static T ParseEnum<T>(string? v, string key, T fallback) where T : struct, Enum
    {
        if (v is null) return fallback;
        if (Enum.TryParse<T>(v, ignoreCase: true, out var r) && Enum.IsDefined(r) && !int.TryParse(v, out _)) return r;
        throw new HarnessConfigurationException(
            $"Setting '{key}' has the value '{v}'; allowed: {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
    }

    /// <summary>A whole number: a JSON integer, or digits from the environment or a flag; anything else names the key.</summary>
    private static int ParseInt(Dictionary<string, Given> given, string key, int fallback, int min, int max, string note = "")
    {
        if (!given.TryGetValue(key, out var g)) return fallback;
        string text;
        if (g.Json is { } j)
        {
            if (j.ValueKind != JsonValueKind.Number) throw new HarnessConfigurationException($"Setting '{key}' (from {g.Source}) is {Describe(g)}; it must be a whole number between {min} and {max:N0}{note}.");
            text = j.GetRawText();
        }
        else text = g.Text ?? "";
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) && r >= min && r <= max) return r;
        throw new HarnessConfigurationException($"Setting '{key}' has the value '{text}'; it must be a whole number between {min} and {max:N0}{note}.");
    }

    private static bool ParseBool(Dictionary<string, Given> given, string key, bool fallback)
    {
        if (!given.TryGetValue(key, out var g)) return fallback;
        if (g.Json is { } j)
            return j.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String when bool.TryParse(j.GetString(), out var b) => b,
                _ => throw new HarnessConfigurationException($"Setting '{key}' (from {g.Source}) is {Describe(g)}; it must be true or false."),
            };
        if (bool.TryParse(g.Text, out var r)) return r;
        throw new HarnessConfigurationException($"Setting '{key}' has the value '{g.Text}'; it must be true or false.");
    }

    public static string ResolvePath(string path, string baseDir)
    {
        if (path.StartsWith("~/", StringComparison.Ordinal) || path == "~")
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : "");
        return Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(baseDir, path));
    }

    /// <summary>The project's appsettings.json: found upwards from the working folder, then from the program's folder.</summary>
    public static string? FindSettingsFile()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, SettingsFileName);
                if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Harness.sln"))) return candidate;
            }
        return null;
    }
}
