// Every test runs without Google's metadata server lookups (they only print warnings offline).
process.env.METADATA_SERVER_DETECTION = 'none';
