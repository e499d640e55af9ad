using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(RLRegularity.Benchmarks.NormalizerBenchmarks).Assembly).Run(args);
