// Training tests measure learning within a time budget; running them concurrently on 2 cores would only slow each down.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
