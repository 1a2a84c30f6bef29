"""Technical-assistance coordination: needs found in visits and consultations, national
roadmaps, donors' projects (IATI), matching, duplication flags and progress."""
