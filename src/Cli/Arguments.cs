namespace Harness.Cli;

/// <summary>A bad command line: printed with the command's help (or the overview), exit code 2.</summary>
public sealed class UsageException(string message, string? help = null) : Exception(message)
{
    /// <summary>The help printed under the message; null: the command's (filled in by the dispatcher) or the overview.</summary>
    public string? Help { get; } = help;
}

/// <summary>
/// Parsed "verb [verb] --flag value --switch" command lines. Small on purpose: every flag is declared by the
/// command that reads it, and anything left unread is an error naming it.
/// </summary>
public sealed class Arguments
{
    private readonly List<string> _positional = new();
    private readonly Dictionary<string, List<string>> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new();

    public Arguments(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var name = a[2..];
                string? value = null;
                var eq = name.IndexOf('=');
                if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
                else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal)) value = list[++i];
                if (!_flags.TryGetValue(name, out var values)) _flags[name] = values = new List<string>();
                values.Add(value ?? "");
            }
            else _positional.Add(a);
        }
    }

    public IReadOnlyList<string> Positional => _positional;

    /// <summary>Whether the flag appears at all (with or without a value).</summary>
    public bool Given(string name) => _flags.ContainsKey(name);

    public bool Switch(string name)
    {
        _read.Add(name);
        if (!_flags.TryGetValue(name, out var v)) return false;
        if (v.Count == 1 && v[0] is "" or "true") return true;
        if (v.Count == 1 && v[0] == "false") return false;
        throw new UsageException($"--{name} takes no value (got '{v[0]}').");
    }

    public string? Value(string name)
    {
        _read.Add(name);
        if (!_flags.TryGetValue(name, out var v)) return null;
        if (v.Count > 1) throw new UsageException($"--{name} is given {v.Count} times; give it once.");
        if (v[0] == "") throw new UsageException($"--{name} needs a value.");
        return v[0];
    }

    public int? Int(string name) => Value(name) is not { } v ? null
        : int.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
        : throw new UsageException($"--{name} needs a whole number (got '{v}').");

    public IReadOnlyList<string> Values(string name)
    {
        _read.Add(name);
        if (!_flags.TryGetValue(name, out var v)) return Array.Empty<string>();
        if (v.Any(x => x == "")) throw new UsageException($"--{name} needs a value.");
        return v.SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
    }

    /// <summary>Fails on any flag no command read (typos such as --profle).</summary>
    public void EnsureAllRead()
    {
        var unknown = _flags.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0) throw new UsageException($"unknown option{(unknown.Count > 1 ? "s" : "")}: {string.Join(", ", unknown.Select(u => "--" + u))}");
    }
}
