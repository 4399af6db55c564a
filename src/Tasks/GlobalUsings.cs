// What every task file reads: the harness core and TorchSharp (each file keeps only its other usings).
global using System.Globalization;
global using Harness.Core.Configuration;
global using Harness.Core.Data;
global using Harness.Core.Experiments;
global using Harness.Core.Metrics;
global using Harness.Core.Records;
global using Harness.Core.Requirements;
global using Harness.Core.Training;
global using Harness.Tasks.Common;
global using TorchSharp;
global using static TorchSharp.torch;
