"""Real-browser tests: JupyterLab 4 and Notebook 7 in headless Chromium, driven by Playwright."""
