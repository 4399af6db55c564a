using FluentAssertions;
using Harness.Core.Configuration;
using NUnit.Framework;

namespace Harness.Spec.Core;

[Property("Area", "Configuration")]
public sealed class OptionsTests
{
    private string _file = "";
    private static readonly Dictionary<string, string?> NoEnvironment = new();

    [SetUp]
    public void WriteSettings()
    {
        var dir = Path.Combine(Path.GetTempPath(), "opts-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        _file = Path.Combine(dir, "appsettings.json");
        File.WriteAllText(_file, """{ "Profile": "smoke", "Device": "cpu", "Seed": 7, "DataRoots": ["data", "/abs/data"], "OutputDir": "out" }""");
    }

    [TearDown] public void Remove() => Directory.Delete(Path.GetDirectoryName(_file)!, true);

    private HarnessOptions Load(Dictionary<string, string?>? flags = null, Dictionary<string, string?>? env = null) =>
        OptionsLoader.Load(flags, _file, env ?? NoEnvironment);

    [Test]
    public void Binds_the_file_and_resolves_relative_paths_against_its_folder()
    {
        var o = Load();
        var dir = Path.GetDirectoryName(_file)!;
        o.Profile.Should().Be(Profile.Smoke);
        o.Device.Should().Be(DeviceChoice.Cpu);
        o.Seed.Should().Be(7);
        o.DataRoots.Should().Equal(Path.Combine(dir, "data"), "/abs/data");
        o.OutputDir.Should().Be(Path.Combine(dir, "out"));
    }

    [Test]
    public void Environment_overrides_the_file_and_flags_override_the_environment()
    {
        Load(env: new() { ["HARNESS__Profile"] = "full", ["HARNESS__Seed"] = "3" }).Profile.Should().Be(Profile.Full);
        Load(env: new() { ["HARNESS__Profile"] = "full" }, flags: new() { ["Profile"] = "smoke" }).Profile.Should().Be(Profile.Smoke);
        Load(env: new() { ["HARNESS__DataRoots__0"] = "/x" }).DataRoots.Should().Equal("/x", "/abs/data");
    }

    [Test]
    public void Unknown_key_is_named()
    {
        var act = () => Load(env: new() { ["HARNESS__Profil"] = "full" });
        act.Should().Throw<HarnessConfigurationException>().WithMessage("*Unknown setting 'Profil'*Known settings*Profile*");
    }

    [TestCase("Profile", "huge", "*'Profile'*'huge'*smoke, full*")]
    [TestCase("Device", "tpu", "*'Device'*'tpu'*auto, cpu, cuda*")]
    [TestCase("Seed", "-1", "*'Seed'*'-1'*whole number*")]
    [TestCase("Seed", "abc", "*'Seed'*'abc'*")]
    [TestCase("Threads", "1.5", "*'Threads'*")]
    [TestCase("AllowDownload", "maybe", "*'AllowDownload'*true or false*")]
    [TestCase("OutputDir", " ", "*'OutputDir'*empty*")]
    public void Bad_value_names_key_value_and_what_is_allowed(string key, string value, string message)
    {
        var act = () => Load(flags: new() { [key] = value });
        act.Should().Throw<HarnessConfigurationException>().WithMessage(message);
    }

    [Test]
    public void Invalid_json_names_the_file()
    {
        File.WriteAllText(_file, "{ \"Profile\": ");
        var act = () => Load();
        act.Should().Throw<HarnessConfigurationException>().WithMessage("*appsettings.json*");
    }
}
