// Placeholder so the TrainingTests target (declared in Package.swift) builds from a clean clone;
// delete it once the target has real tests.
