using Harness.Tasks.Cm500335;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Cm500335;

[Property("Assignment", "cm500335"), Property("Task", "5")]
public sealed class T5Spec : TaskRequirementsFixture<T5Visualising>;
