using Harness.Tasks.Cm500335;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Cm500335;

[Property("Assignment", "cm500335"), Property("Task", "3.1")]
public sealed class T3_1Spec : TaskRequirementsFixture<T3_1Mlp>;
