using Harness.Tasks.Cm500335;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Cm500335;

[Property("Assignment", "cm500335"), Property("Task", "4.1")]
public sealed class T4_1Spec : TaskRequirementsFixture<T4_1Cnn>;
