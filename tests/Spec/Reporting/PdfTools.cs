using System.Diagnostics;
using NUnit.Framework;

namespace Harness.Spec.Reporting;

/// <summary>Runs poppler-utils (pdftotext, pdfinfo, pdffonts) on produced PDFs; ignores the test when they are missing.</summary>
static class PdfTools
{
    public static void Require()
    {
        if (!OnPath("pdftotext") || !OnPath("pdfinfo") || !OnPath("pdffonts"))
            Assert.Ignore("poppler-utils (pdftotext, pdfinfo, pdffonts) is not installed: apt-get install -y poppler-utils");
    }

    static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));

    public static string Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    /// <summary>Text of the whole document, or of one page (1-based).</summary>
    public static string Text(string pdf, int? page = null) => page is { } p
        ? Run("pdftotext", "-f", p.ToString(), "-l", p.ToString(), pdf, "-")
        : Run("pdftotext", pdf, "-");

    public static int Pages(string pdf) => int.Parse(Info(pdf)["Pages"]);

    public static Dictionary<string, string> Info(string pdf) => Run("pdfinfo", pdf)
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Where(l => l.Contains(':'))
        .ToDictionary(l => l[..l.IndexOf(':')].Trim(), l => l[(l.IndexOf(':') + 1)..].Trim());

    /// <summary>Rows of pdffonts: (name, emb) pairs.</summary>
    public static List<(string Name, string Emb)> Fonts(string pdf)
    {
        var lines = Run("pdffonts", pdf).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0];
        var embAt = header.IndexOf("emb", StringComparison.Ordinal);
        return lines.Skip(2).Select(l => (l.Split(' ')[0], l.Substring(embAt, 3).Trim())).ToList();
    }

    /// <summary>Words with their boxes (points) from pdftotext -bbox.</summary>
    /// <summary>Every word with its box in PDF points (y grows downwards from the top of the page) and its 1-based page.</summary>
    public static List<(string Word, double XMin, double XMax, double YMax, int Page, double YMin)> Words(string pdf)
    {
        var html = Run("pdftotext", "-bbox", pdf, "-");
        var result = new List<(string, double, double, double, int, double)>();
        var page = 0;
        static double Num(string s) => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        foreach (var line in html.Split('\n'))
        {
            if (line.Contains("<page ")) page++;
            var m = System.Text.RegularExpressions.Regex.Match(line, "<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" yMax=\"([0-9.]+)\">(.*)</word>");
            if (m.Success)
                result.Add((System.Net.WebUtility.HtmlDecode(m.Groups[5].Value), Num(m.Groups[1].Value), Num(m.Groups[3].Value), Num(m.Groups[4].Value), page, Num(m.Groups[2].Value)));
        }
        return result;
    }

    public static string TempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "harness-spec-reporting", name);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
