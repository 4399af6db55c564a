using Harness.Tasks.Cm500335;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Cm500335;

[Property("Assignment", "cm500335"), Property("Task", "3.2")]
public sealed class T3_2Spec : TaskRequirementsFixture<T3_2MlpDepth>;
