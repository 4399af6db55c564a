using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Harness.Core.Configuration;

/// <summary>
/// Builds <see cref="HarnessOptions"/> from appsettings.json, HARNESS__* environment variables and
/// command-line overrides (in that order of precedence, last wins), rejecting unknown keys and bad values
/// with one message that names the key. Relative paths are resolved against the settings file's folder.
/// </summary>
public static class OptionsLoader
{
    public const string EnvironmentPrefix = "HARNESS__";
    public const string SettingsFileName = "appsettings.json";

    public static HarnessOptions Load(IReadOnlyDictionary<string, string?>? overrides = null, string? settingsFile = null,
        IDictionary<string, string?>? environment = null)
    {
        settingsFile ??= FindSettingsFile();
        var baseDir = settingsFile is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(settingsFile))!;
        var builder = new ConfigurationBuilder();
        if (settingsFile is not null)
        {
            try { builder.AddJsonFile(Path.GetFullPath(settingsFile), optional: false, reloadOnChange: false); }
            catch (Exception e) { throw new HarnessConfigurationException($"{settingsFile}: {e.Message}"); }
        }
        builder.AddInMemoryCollection(EnvironmentEntries(environment));
        if (overrides is not null) builder.AddInMemoryCollection(overrides);
        IConfigurationRoot config;
        try { config = builder.Build(); }
        catch (Exception e) { throw new HarnessConfigurationException($"{settingsFile ?? SettingsFileName} is not valid JSON: {e.InnerException?.Message ?? e.Message}"); }
        return Bind(config, baseDir);
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

    private static HarnessOptions Bind(IConfiguration config, string baseDir)
    {
        var known = typeof(HarnessOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var section in config.GetChildren())
            if (!known.ContainsKey(section.Key))
                throw new HarnessConfigurationException(
                    $"Unknown setting '{section.Key}' (from appsettings.json, {EnvironmentPrefix}{section.Key} or a flag). Known settings: {string.Join(", ", known.Keys)}.");

        var o = new HarnessOptions();
        o = o with
        {
            Profile = ParseEnum(config, nameof(HarnessOptions.Profile), o.Profile),
            Device = ParseEnum(config, nameof(HarnessOptions.Device), o.Device),
            Seed = ParseInt(config, nameof(HarnessOptions.Seed), o.Seed, min: 0),
            Threads = ParseInt(config, nameof(HarnessOptions.Threads), o.Threads, min: 0),
            TrainImagesLimit = ParseInt(config, nameof(HarnessOptions.TrainImagesLimit), o.TrainImagesLimit, min: 0),
            AllowDownload = ParseBool(config, nameof(HarnessOptions.AllowDownload), o.AllowDownload),
            DownloadRoot = ResolvePath(config[nameof(HarnessOptions.DownloadRoot)] ?? o.DownloadRoot, baseDir),
            CacheDir = ResolvePath(NonEmpty(config, nameof(HarnessOptions.CacheDir)) ?? o.CacheDir, baseDir),
            OutputDir = ResolvePath(NonEmpty(config, nameof(HarnessOptions.OutputDir)) ?? o.OutputDir, baseDir),
            ReportsDir = ResolvePath(NonEmpty(config, nameof(HarnessOptions.ReportsDir)) ?? o.ReportsDir, baseDir),
        };
        var roots = config.GetSection(nameof(HarnessOptions.DataRoots));
        var rootList = roots.GetChildren().OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue)
            .Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!).ToList();
        if (roots.Value is { Length: > 0 } single) rootList = single.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).ToList();
        if (rootList.Count == 0) rootList = o.DataRoots.ToList();
        return o with { DataRoots = rootList.Select(r => ResolvePath(r, baseDir)).ToList() };
    }

    private static string? NonEmpty(IConfiguration c, string key)
    {
        var v = c[key];
        if (v is not null && string.IsNullOrWhiteSpace(v))
            throw new HarnessConfigurationException($"Setting '{key}' is empty; give a folder path.");
        return v;
    }

    private static T ParseEnum<T>(IConfiguration c, string key, T fallback) where T : struct, Enum
    {
        var v = c[key];
        if (v is null) return fallback;
        if (Enum.TryParse<T>(v, ignoreCase: true, out var r) && Enum.IsDefined(r) && !int.TryParse(v, out _)) return r;
        throw new HarnessConfigurationException(
            $"Setting '{key}' has the value '{v}'; allowed: {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
    }

    private static int ParseInt(IConfiguration c, string key, int fallback, int min)
    {
        var v = c[key];
        if (v is null) return fallback;
        if (int.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var r) && r >= min) return r;
        throw new HarnessConfigurationException($"Setting '{key}' has the value '{v}'; it must be a whole number ≥ {min}.");
    }

    private static bool ParseBool(IConfiguration c, string key, bool fallback)
    {
        var v = c[key];
        if (v is null) return fallback;
        if (bool.TryParse(v, out var r)) return r;
        throw new HarnessConfigurationException($"Setting '{key}' has the value '{v}'; it must be true or false.");
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
